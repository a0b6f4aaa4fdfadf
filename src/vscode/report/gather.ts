/**
 * The editor's side of gathering the report's inputs: the workspace folders, the settings, the stored
 * profiles, files read through `vscode.workspace.fs`, ONNX files through the shared inspect cache (on
 * its isolated worker) and the machine detected once per session. The gathering itself is the pure
 * `gatherReportInputs`, the same as the CLI's. Returns the inputs with a map from each workspace-relative
 * path back to its file, which the host uses to check every path the page names.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileReader } from '../../fileAccess';
import type * as GatherModule from '../../report/gather';
import type { ReportInputs } from '../../report/inputs';
import type { GreenLensContext } from '../context';
import { Hardware } from '../hardware';
import { lazyModules } from '../lazyModules';
import { inspectCached } from '../onnx/inspect';
import type { ProfileStore } from './profiles';

/** The inputs, and where each relative path of the report lives. */
export interface Gathered {
  inputs: ReportInputs;
  files: Map<string, vscode.Uri>;
  /** The text of each Python file as analyzed: an edit from the report applies only to this text. */
  sources: Map<string, string>;
}

/** Workspace-relative path with forward slashes; prefixed by the folder's name in a multi-root workspace. */
export function relativePath(folder: vscode.WorkspaceFolder, file: string, multiRoot: boolean): string {
  const rel = path.relative(folder.uri.fsPath, file).split(path.sep).join('/');
  return multiRoot ? `${folder.name}/${rel}` : rel;
}

/** Reads the user's files through VS Code's file system, as the pure gatherer asks. */
const workspaceFiles: FileReader = {
  async readText(file) {
    // The byte-order mark is kept, as node:fs keeps it, so the text is the one the analyzer read.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await vscode.workspace.fs.readFile(vscode.Uri.file(file)),
    );
  },
  async stamp(file) {
    try {
      const st = await vscode.workspace.fs.stat(vscode.Uri.file(file));
      return { size: st.size, mtimeMs: st.mtime };
    } catch {
      return undefined;
    }
  },
};

export class InputGatherer {
  private cache: GatherModule.PythonInputCache | undefined;

  constructor(
    private readonly ctx: GreenLensContext,
    private readonly profiles: ProfileStore,
  ) {}

  async gather(signal: AbortSignal): Promise<Gathered> {
    // The gatherer loads on the first report, not at activation.
    const gatherer = lazyModules.reportGather();
    this.cache ??= new gatherer.PythonInputCache();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const gathered = await gatherer.gatherReportInputs({
      roots: folders.filter((f) => f.uri.scheme === 'file').map((f) => ({ path: f.uri.fsPath, name: f.name })),
      // The same prefixes as relativePath, which keys the stored profiles, even when a folder is not on disk.
      multiRoot: folders.length > 1,
      settings: this.ctx.config.settings,
      files: workspaceFiles,
      // Batch 1: the report's figures are per inference.
      inspectOnnx: (file) => inspectCached(this.ctx, file, 1),
      detectHardware: () => this.ctx.feature(Hardware).detect(),
      profiles: this.profiles.all(),
      cache: this.cache,
      wasmDir: this.ctx.asset('dist'),
      workspace: vscode.workspace.name ?? folders[0]?.name ?? 'workspace',
      toolVersion: String((this.ctx.extension.extension.packageJSON as { version?: unknown }).version ?? 'unknown'),
      generatedAt: new Date().toISOString(),
      signal,
    });
    const files = new Map([...gathered.files].map(([rel, abs]) => [rel, vscode.Uri.file(abs)] as const));
    return { inputs: gathered.inputs, files, sources: gathered.sources };
  }
}
