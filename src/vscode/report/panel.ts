/**
 * The report panel: one webview panel at a time (revealed when open), restored after a reload by a
 * serializer, fed from the report service. Every message from the page is validated by the protocol's
 * guard and then against the current report before anything happens (see ReportActions).
 */
import * as vscode from 'vscode';
import { isReportToHost, type HostToReport, type ReportRendered } from '../../webviewProtocol/report';
import type { GreenLensContext } from '../context';
import { webviewHtml, webviewOptions } from '../webview/html';
import { ReportActions, type Outcome } from './actions';
import type { CurrentReport, ReportService } from './service';

export const REPORT_VIEW_TYPE = 'greenlens.report';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private focus: string | undefined;
  private lastRendered: ReportRendered | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<ReportRendered>();
  private readonly subs: vscode.Disposable[] = [];
  readonly actions: ReportActions;
  /** Fires each time the page reports what it rendered. */
  readonly onDidRender = this.renderEmitter.event;

  constructor(
    private readonly ctx: GreenLensContext,
    private readonly service: ReportService,
  ) {
    this.actions = new ReportActions(ctx, service);
    this.subs.push(service.onDidChange((cur) => this.post(cur)));
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** What the page last said it rendered (undefined until it has rendered once). */
  get rendered(): ReportRendered | undefined {
    return this.lastRendered;
  }

  /**
   * Opens the panel, or reveals it, optionally on one model's section; builds the report when needed.
   * `column` places a new panel (the side bar opens it beside the code); an open panel stays where it is.
   */
  async show(focusModelId?: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<void> {
    this.focus = focusModelId;
    if (this.panel) {
      this.panel.reveal(undefined, false);
      await this.refresh();
    } else {
      const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'GreenLens Report', column, {
        ...webviewOptions(this.ctx.extension.extensionUri),
        retainContextWhenHidden: false,
      });
      // A new page asks for the report with `ready` once its script listens: sending it now as well
      // drew the page twice (or posted to a page not yet listening). The build starts now all the same,
      // and callers get the report when this returns; a failed build is shown to the page on `ready`.
      this.attach(panel);
      await this.service.get().catch(() => undefined);
    }
  }

  /** Takes over a panel VS Code restores after a reload; the page shows its saved state and says `ready`. */
  restore(panel: vscode.WebviewPanel): void {
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.lastRendered = undefined;
    const extUri = this.ctx.extension.extensionUri;
    panel.iconPath = vscode.Uri.joinPath(extUri, 'media', 'icon.png');
    panel.webview.options = webviewOptions(extUri);
    panel.webview.html = webviewHtml(panel.webview, extUri, {
      script: 'webview.js',
      style: 'report.css',
      title: 'GreenLens Report',
    });
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((msg: unknown) => void this.handleMessage(msg)),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const s of this.panelSubs) s.dispose();
        this.panelSubs = [];
      }),
    ];
  }

  /**
   * Sends the current report; when there is none yet, says so and builds it. A finished build reaches the
   * page through service.onDidChange, so it is not posted here again (that drew the page twice).
   */
  private async refresh(): Promise<void> {
    const cur = this.service.current;
    if (cur) {
      this.post(cur);
      return;
    }
    this.postMessage({ type: 'busy', message: 'Building the report…' });
    try {
      await this.service.get();
    } catch (err) {
      this.postMessage({ type: 'error', message: `The report could not be built: ${(err as Error).message}` });
    }
  }

  private post(cur: CurrentReport): void {
    const focusModelId = this.focus && cur.report.models.some((m) => m.id === this.focus) ? this.focus : undefined;
    this.focus = undefined;
    this.postMessage({
      type: 'showReport',
      report: cur.report,
      canAct: vscode.workspace.isTrusted,
      ...(focusModelId ? { focusModelId } : {}),
    });
  }

  private postMessage(msg: HostToReport): void {
    void this.panel?.webview.postMessage(msg);
  }

  /**
   * Handles one message from the page. Exported through the extension's API for the integration tests,
   * which feed it malformed and hostile messages: it must refuse them without throwing.
   */
  async handleMessage(msg: unknown): Promise<Outcome> {
    try {
      if (!isReportToHost(msg)) {
        this.ctx.log.warn('The report page sent a malformed message; ignored.');
        return { ok: false, detail: 'malformed message' };
      }
      switch (msg.type) {
        case 'ready':
          await this.refresh();
          return { ok: true, detail: 'report sent' };
        case 'rendered':
          this.lastRendered = msg;
          if (msg.activeElements > 0)
            this.ctx.log.error(`The report page holds ${msg.activeElements} active element(s) it never creates.`);
          this.renderEmitter.fire(msg);
          return { ok: true, detail: 'noted' };
        case 'runAction':
          return this.logged(await this.actions.run(msg.recommendationId, msg.action), msg.type);
        case 'requestProfile':
          return this.logged(await this.actions.requestProfile(msg.modelId), msg.type);
        case 'exportReport':
          return this.logged(await this.actions.exportReport(msg.format), msg.type);
        case 'openFile':
          return this.logged(await this.actions.openFile(msg.file, msg.line), msg.type);
      }
    } catch (err) {
      this.ctx.log.error(`A report panel request failed: ${(err as Error).stack ?? String(err)}`);
      void vscode.window.showErrorMessage(`GreenLens: ${(err as Error).message}`);
      return { ok: false, detail: (err as Error).message };
    }
  }

  private logged(o: Outcome, what: string): Outcome {
    if (o.ok) this.ctx.log.info(`Report panel ${what}: ${o.detail}`);
    else this.ctx.log.warn(`Report panel ${what} refused: ${o.detail}`);
    return o;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of [...this.subs, ...this.panelSubs]) s.dispose();
    this.renderEmitter.dispose();
  }
}
