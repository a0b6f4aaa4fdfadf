/**
 * Keeps the workspace's current report: builds it on demand (never at activation), rebuilds it when the
 * settings change, a profile finishes or a model file is saved, and tells listeners (panel, status bar).
 * One build runs at a time; a change during a build schedules one more.
 */
import * as vscode from 'vscode';
import type { ProfileResult } from '../../profiler/types';
import type { Report } from '../../report/types';
import type { GreenLensContext } from '../context';
import { lazyModules } from '../lazyModules';
import { BuildQueue } from './buildQueue';
import { InputGatherer, relativePath, type Gathered } from './gather';
import { ProfileStore } from './profiles';
import { timerDelay } from '../../settings';

/** The report with the workspace files and texts it was built from. */
export interface CurrentReport {
  report: Report;
  files: Map<string, vscode.Uri>;
  sources: Map<string, string>;
}

const REBUILD_DELAY_MS = 1000;
const IGNORED = /\/(node_modules|\.venv|venv|site-packages|\.git)\//;

export class ReportService implements vscode.Disposable {
  private latest: CurrentReport | undefined;
  private readonly builds = new BuildQueue(() => this.build());
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private watching = false;
  private readonly emitter = new vscode.EventEmitter<CurrentReport>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly profiles: ProfileStore;
  private readonly gatherer: InputGatherer;
  /** Fires after every build. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly ctx: GreenLensContext) {
    this.profiles = new ProfileStore(ctx.extension.workspaceState);
    this.gatherer = new InputGatherer(ctx, this.profiles);
    this.subs.push(
      ctx.config.onDidChange(() => this.changed()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed()),
    );
  }

  /** The last report built, without building one. */
  get current(): CurrentReport | undefined {
    return this.latest;
  }

  /** The current report, built now when there is none yet (joining a build in progress, not queueing one). */
  async get(): Promise<CurrentReport | undefined> {
    return this.latest ?? this.builds.join();
  }

  /** Builds the report again (joining a build in progress, and running once more after it). */
  rebuild(): Promise<CurrentReport | undefined> {
    return this.builds.rebuild();
  }

  /**
   * Builds a first report a little later, once something showed that the workspace has models (the first
   * Python analysis, the Models view's listing); does nothing when a report exists or is being built.
   */
  warmUp(delayMs = 2000): void {
    if (this.latest || this.builds.busy || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.latest && !this.builds.busy) void this.rebuild().catch(() => undefined);
    }, timerDelay(delayMs));
  }

  /** Something the report depends on changed: rebuild soon, but only if a report was wanted before. */
  changed(): void {
    if (!this.latest && !this.builds.busy) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.rebuild().catch(() => undefined);
    }, REBUILD_DELAY_MS);
  }

  /** Keeps a finished profile (it survives a reload) and rebuilds the report with it. */
  async profileFinished(uri: vscode.Uri, result: ProfileResult): Promise<CurrentReport | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return this.latest;
    const rel = relativePath(folder, uri.fsPath, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    await this.profiles.put(rel, result);
    return this.rebuild();
  }

  /** The report's id of the model in an ONNX file, when the report has it. */
  modelIdForFile(uri: vscode.Uri): string | undefined {
    const cur = this.latest;
    if (!cur) return undefined;
    for (const [rel, u] of cur.files) {
      if (u.fsPath === uri.fsPath) return cur.report.models.find((m) => m.kind === 'onnx' && m.file === rel)?.id;
    }
    return undefined;
  }

  /** Watches model files from the first build on (a watcher at activation would cost time for nothing). */
  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    // Installs into a virtual environment touch thousands of .py files the report never reads.
    const changed = (uri: vscode.Uri) => {
      if (!IGNORED.test(uri.path)) this.changed();
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{onnx,py}');
    this.subs.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
  }

  private async build(): Promise<CurrentReport | undefined> {
    this.watch();
    this.abort?.abort(new Error('superseded'));
    const abort = new AbortController();
    this.abort = abort;
    const t0 = performance.now();
    try {
      const gathered: Gathered = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'GreenLens: building the report' },
        () => this.gatherer.gather(abort.signal),
      );
      // The report builder pulls in the catalog and energy models: loaded on the first build.
      const report = lazyModules.reportBuild().buildReport(gathered.inputs);
      this.latest = { report, files: gathered.files, sources: gathered.sources };
      this.ctx.log.info(
        `Report built in ${(performance.now() - t0).toFixed(0)} ms: ${report.models.length} models, ${report.points.length} points, ${report.recommendations.length} recommendations.`,
      );
      this.emitter.fire(this.latest);
      return this.latest;
    } catch (err) {
      if (abort.signal.aborted) return this.latest;
      this.ctx.log.error(`Building the report failed: ${(err as Error).stack ?? String(err)}`);
      throw err;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.abort?.abort(new Error('disposed'));
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
