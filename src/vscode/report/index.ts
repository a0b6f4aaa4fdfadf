/**
 * The report feature: the service that builds the workspace report, the panel that shows it, and the
 * status bar summary. Registration only wires listeners; the first report is built when someone asks for
 * it (Show Report, a finished profile) or after the first analysis (the status bar), never at activation.
 */
import * as vscode from 'vscode';
import type { ExportFormat, ReportRendered } from '../../webviewProtocol/report';
import type { Report } from '../../report/types';
import { defineFeature, type GreenLensContext } from '../context';
import { registerStatusBar } from '../statusBar';
import type { Outcome } from './actions';
import { REPORT_VIEW_TYPE, ReportPanel } from './panel';
import { ReportService } from './service';
import { timerDelay } from '../../settings';

export interface ReportFeature {
  service: ReportService;
  panel: ReportPanel;
}

/** The report service, panel and status bar item of this activation, created on first use. */
export const Reports = defineFeature<ReportFeature>('the report', (ctx) => {
  const service = new ReportService(ctx);
  const panel = new ReportPanel(ctx, service);
  ctx.push(service, panel);
  registerStatusBar(ctx, service);
  return { service, panel };
});

/** The one report feature of this activation, created on first use. */
export function reportFeature(ctx: GreenLensContext): ReportFeature {
  return ctx.feature(Reports);
}

/**
 * Registers what must exist from activation on, and nothing more: the panel's serializer (so a reload
 * restores an open panel) and a listener that builds the first report, for the status bar, once GreenLens
 * has published its first diagnostics. The service, panel and status bar item are created on first use.
 */
export function registerReport(ctx: GreenLensContext): void {
  const analyzed = vscode.languages.onDidChangeDiagnostics((e) => {
    if (!e.uris.some((u) => vscode.languages.getDiagnostics(u).some((d) => d.source === 'GreenLens'))) return;
    analyzed.dispose();
    reportFeature(ctx).service.warmUp();
  });
  ctx.push(
    analyzed,
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => reportFeature(ctx).panel.restore(panel),
    }),
  );
}

/** What the extension's API exposes of the report, for its integration tests. */
export interface ReportApi {
  /** Feeds one message to the panel's handler, as if the page had sent it. */
  handleMessage(msg: unknown): Promise<Outcome>;
  /** The current report, built when there is none. */
  report(): Promise<Report | undefined>;
  /** Resolves with the next render the page reports, or the last one if `latest` and there was one. */
  nextRender(timeoutMs: number, latest?: boolean): Promise<ReportRendered | undefined>;
  /** Exports the current report to a file without the save dialog. */
  exportTo(format: ExportFormat, target: vscode.Uri): Promise<Outcome>;
}

export function reportApi(ctx: GreenLensContext): ReportApi {
  return {
    handleMessage: (msg) => reportFeature(ctx).panel.handleMessage(msg),
    exportTo: (format, target) => reportFeature(ctx).panel.actions.exportReport(format, target),
    report: async () => (await reportFeature(ctx).service.get())?.report,
    nextRender: (timeoutMs, latest) => {
      const panel = reportFeature(ctx).panel;
      if (latest && panel.rendered) return Promise.resolve(panel.rendered);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          sub.dispose();
          resolve(undefined);
        }, timerDelay(timeoutMs));
        const sub = panel.onDidRender((r) => {
          clearTimeout(timer);
          sub.dispose();
          resolve(r);
        });
      });
    },
  };
}

/** Opens the report from a command argument: nothing, an ONNX file's Uri, a Models view item, or `{ modelId }`. */
export async function showReport(ctx: GreenLensContext, arg?: unknown): Promise<Report | undefined> {
  const { service, panel } = reportFeature(ctx);
  let focus: string | undefined;
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : (arg as { uri?: unknown } | undefined)?.uri instanceof vscode.Uri
        ? (arg as { uri: vscode.Uri }).uri
        : undefined;
  if (uri) {
    await service.get();
    focus = service.modelIdForFile(uri);
    // A file the report does not know yet (just created or copied): build again rather than wait for the watcher.
    if (!focus) {
      await service.rebuild();
      focus = service.modelIdForFile(uri);
    }
  } else if (typeof (arg as { modelId?: unknown } | undefined)?.modelId === 'string') {
    focus = (arg as { modelId: string }).modelId;
  }
  await panel.show(focus);
  return service.current?.report;
}
