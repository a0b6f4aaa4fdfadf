/**
 * The Overview in the GreenLens side bar: a webview view showing the workspace report's headline, the
 * recommendations worth acting on, a compact trade-off chart of the selected model and quick controls. It
 * follows the active editor (a model file selects its model) and writes the controls to the user settings.
 * Messages are checked by the protocol's guards; actions go through the report panel's own checks.
 */
import * as vscode from 'vscode';
import { isOverviewToHost, type HostToOverview, type OverviewRendered } from '../../webviewProtocol/overview';
import { SETTING_KEYS, type Settings } from '../../settings';
import { readSettings, SECTION } from '../config';
import { Commands } from '../commands/ids';
import type { GreenLensContext } from '../context';
import { reportFeature } from '../report/index';
import type { CurrentReport } from '../report/service';
import type { Outcome } from '../report/actions';
import { webviewHtml, webviewOptions } from '../webview/html';
import { openFullReport } from './actions';

export const OVERVIEW_VIEW_ID = 'greenlens.overview';

/** The report's model in a file at a 1-based line: the last site at or above it, else the file's first. */
export function modelAt(cur: CurrentReport, uri: vscode.Uri, line?: number): string | undefined {
  let rel: string | undefined;
  for (const [r, u] of cur.files) if (u.toString() === uri.toString()) rel = r;
  const models = cur.report.models.filter((m) => m.file === rel).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (models.length === 0) return undefined;
  const above = line === undefined ? [] : models.filter((m) => (m.line ?? 0) <= line);
  return (above[above.length - 1] ?? models[0])!.id;
}

/** The file of the active editor tab: a text editor or a custom editor (the .onnx viewer). */
function activeUri(): { uri: vscode.Uri; line?: number } | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) {
    const editor = vscode.window.activeTextEditor;
    const line =
      editor && editor.document.uri.toString() === input.uri.toString() ? editor.selection.active.line + 1 : undefined;
    return { uri: input.uri, ...(line !== undefined ? { line } : {}) };
  }
  return undefined;
}

export class OverviewView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewSubs: vscode.Disposable[] = [];
  private readonly subs: vscode.Disposable[] = [];
  private modelId: string | undefined;
  private lastRendered: OverviewRendered | undefined;
  private readonly renderEmitter = new vscode.EventEmitter<OverviewRendered>();
  /** Fires each time the page reports what it rendered. */
  readonly onDidRender = this.renderEmitter.event;

  constructor(private readonly ctx: GreenLensContext) {
    const follow = () => this.followEditor();
    this.subs.push(vscode.window.onDidChangeActiveTextEditor(follow), vscode.window.tabGroups.onDidChangeTabs(follow));
  }

  get rendered(): OverviewRendered | undefined {
    return this.lastRendered;
  }

  /** The model the Overview shows (the active editor's, or the one picked in the page). */
  get selected(): string | undefined {
    return this.modelId;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const s of this.viewSubs) s.dispose();
    this.view = view;
    const extUri = this.ctx.extension.extensionUri;
    view.webview.options = webviewOptions(extUri);
    view.webview.html = webviewHtml(view.webview, extUri, {
      script: 'overview.js',
      style: 'overview.css',
      title: 'GreenLens Overview',
    });
    const { service } = reportFeature(this.ctx);
    this.viewSubs = [
      view.webview.onDidReceiveMessage((msg: unknown) => void this.handleMessage(msg)),
      service.onDidChange(() => void this.post()),
      view.onDidChangeVisibility(() => {
        if (view.visible) void this.post();
      }),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        this.view = undefined;
        for (const s of this.viewSubs) s.dispose();
        this.viewSubs = [];
      }),
    ];
    this.followEditor();
  }

  /** Selects the active editor's model, when it is a model file of the report. */
  private followEditor(): void {
    // Before the view is shown nothing follows: the report service is not created for an editor change.
    if (!this.view) return;
    const cur = reportFeature(this.ctx).service.current;
    const active = activeUri();
    if (!cur || !active) return;
    const id = modelAt(cur, active.uri, active.line);
    if (!id || id === this.modelId) return;
    this.modelId = id;
    this.postMessage({ type: 'focusModel', modelId: id });
  }

  /** Sends the current report, or builds it first (the page says so meanwhile). */
  private async post(): Promise<void> {
    if (!this.view) return;
    const { service } = reportFeature(this.ctx);
    const cur = service.current;
    if (!cur) {
      this.postMessage({ type: 'busy', message: 'Analyzing the workspace…' });
      try {
        await service.get();
      } catch (err) {
        this.postMessage({ type: 'error', message: `The report could not be built: ${(err as Error).message}` });
      }
      return;
    }
    const active = activeUri();
    const fromEditor = active ? modelAt(cur, active.uri, active.line) : undefined;
    this.modelId = fromEditor ?? this.modelId;
    const s = this.ctx.config.settings;
    this.postMessage({
      type: 'showOverview',
      report: cur.report,
      canAct: vscode.workspace.isTrusted,
      ...(this.modelId ? { modelId: this.modelId } : {}),
      controls: {
        inferencesPerDay: s.inferencesPerDay,
        carbonRegion: s.carbonRegion,
        hardwareProfile: s.hardwareProfile,
        hardwareName: cur.report.assumptions.hardware.name,
      },
    });
  }

  private postMessage(msg: HostToOverview): void {
    void this.view?.webview.postMessage(msg);
  }

  /** Handles one message from the page; malformed ones are refused without throwing. */
  async handleMessage(msg: unknown): Promise<Outcome> {
    if (!isOverviewToHost(msg)) {
      this.ctx.log.warn('The Overview sent a malformed message; ignored.');
      return { ok: false, detail: 'malformed message' };
    }
    try {
      const { panel } = reportFeature(this.ctx);
      switch (msg.type) {
        case 'ready':
          await this.post();
          return { ok: true, detail: 'overview sent' };
        case 'rendered':
          this.lastRendered = msg;
          this.renderEmitter.fire(msg);
          return { ok: true, detail: 'noted' };
        case 'selectModel':
          this.modelId = msg.modelId;
          return { ok: true, detail: `selected ${msg.modelId}` };
        case 'openReport':
          await openFullReport(this.ctx, msg.modelId ? { modelId: msg.modelId } : undefined);
          return { ok: true, detail: 'report opened' };
        case 'setWorkload':
          return this.writeSetting('workload.inferencesPerDay', msg.inferencesPerDay);
        case 'setRegion':
          return this.writeSetting('carbon.region', msg.region);
        case 'chooseHardware':
          await vscode.commands.executeCommand(Commands.selectHardwareProfile);
          return { ok: true, detail: 'hardware picker shown' };
        case 'runAction':
          return await panel.actions.run(msg.recommendationId, msg.action);
        case 'openFile':
          return await panel.actions.openFile(msg.file, msg.line);
      }
    } catch (err) {
      this.ctx.log.error(`An Overview request failed: ${(err as Error).stack ?? String(err)}`);
      void vscode.window.showErrorMessage(`GreenLens: ${(err as Error).message}`);
      return { ok: false, detail: (err as Error).message };
    }
  }

  /**
   * Writes a user setting. A workspace setting or the repository's configuration wins over the user's, so
   * the figures would not change: the user is told which value is in force instead.
   */
  private async writeSetting(key: string, value: unknown): Promise<Outcome> {
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
    const field = (Object.keys(SETTING_KEYS) as (keyof Settings)[]).find((k) => SETTING_KEYS[k] === key);
    const inForce = field ? readSettings().settings[field] : value;
    if (inForce !== value) {
      void vscode.window.showInformationMessage(
        `GreenLens: your user setting greenlens.${key} is saved, but this workspace sets ${JSON.stringify(inForce)} (workspace settings or the repository's configuration), which wins.`,
      );
    }
    this.ctx.log.info(`Overview set greenlens.${key} to ${JSON.stringify(value)} in the user settings.`);
    return { ok: true, detail: `greenlens.${key} = ${JSON.stringify(value)}` };
  }

  dispose(): void {
    for (const s of [...this.subs, ...this.viewSubs]) s.dispose();
    this.renderEmitter.dispose();
  }
}
