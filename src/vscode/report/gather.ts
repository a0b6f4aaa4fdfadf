/**
 * Gathers what `buildReport` needs from the workspace: its Python files analyzed on worker threads (each
 * file re-analyzed only when it changed on disk), its ONNX files through the shared inspect cache, the
 * hardware, the settings and the stored profiles. Returns the inputs with a map from each
 * workspace-relative path back to its file, which the host uses to check every path the page names.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileAnalysis } from '../../analyzers/python/files';
import type { ReportInputs, ReportOnnxInput, ReportPythonInput } from '../../report/inputs';
import type { GreenLensContext } from '../context';
import { Hardware } from '../hardware';
import { lazyModules } from '../lazyModules';
import { inspectCached } from '../onnx/inspect';
import type { Engine } from '../python/service';
import type { ProfileStore } from './profiles';

/** The inputs, and where each relative path of the report lives. */
export interface Gathered {
  inputs: ReportInputs;
  files: Map<string, vscode.Uri>;
  /** The text of each Python file as analyzed: an edit from the report applies only to this text. */
  sources: Map<string, string>;
}

interface CachedPython { mtimeMs: number; size: number; input: ReportPythonInput }

/** Workspace-relative path with forward slashes; prefixed by the folder's name in a multi-root workspace. */
export function relativePath(folder: vscode.WorkspaceFolder, file: string, multiRoot: boolean): string {
  const rel = path.relative(folder.uri.fsPath, file).split(path.sep).join('/');
  return multiRoot ? `${folder.name}/${rel}` : rel;
}

export class InputGatherer {
  private readonly python = new Map<string, CachedPython>();

  constructor(private readonly ctx: GreenLensContext, private readonly profiles: ProfileStore) {}

  async gather(signal: AbortSignal): Promise<Gathered> {
    // The pure Python engine loads on first use (grammar, catalog and energy models are not needed to activate).
    const eng = lazyModules.pythonEngine();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const multi = folders.length > 1;
    const settings = this.ctx.config.settings;
    const files = new Map<string, vscode.Uri>();
    const pyFiles: { rel: string; abs: string }[] = [];
    const onnxFiles: { rel: string; abs: string }[] = [];
    for (const folder of folders.filter((f) => f.uri.scheme === 'file')) {
      const found = await eng.findWorkspaceFiles(folder.uri.fsPath, { exclude: settings.exclude, signal });
      for (const abs of found.python) pyFiles.push({ rel: relativePath(folder, abs, multi), abs });
      for (const abs of found.onnx) onnxFiles.push({ rel: relativePath(folder, abs, multi), abs });
    }
    for (const f of [...pyFiles, ...onnxFiles]) files.set(f.rel, vscode.Uri.file(f.abs));
    const [python, onnx, hw] = await Promise.all([this.analyzePython(eng, pyFiles, signal), this.inspectOnnx(onnxFiles), this.ctx.feature(Hardware).resolve(settings.hardwareProfile)]);
    signal.throwIfAborted();
    const stored = this.profiles.all();
    const profiles = Object.fromEntries(onnxFiles.flatMap((f) => (stored[f.rel] ? [[f.rel, stored[f.rel]!]] : [])));
    const auto = settings.hardwareProfile.trim() === '' || settings.hardwareProfile.trim().toLowerCase() === 'auto';
    const inputs: ReportInputs = {
      workspace: vscode.workspace.name ?? folders[0]?.name ?? 'workspace',
      toolVersion: String((this.ctx.extension.extension.packageJSON as { version?: unknown }).version ?? 'unknown'),
      generatedAt: new Date().toISOString(),
      settings,
      hardware: { device: hw.primary, source: auto ? 'detected on this machine' : 'setting greenlens.hardware.profile', notes: hw.notes },
      onnx,
      python,
      profiles,
    };
    const sources = new Map(python.flatMap((p) => (p.source !== undefined ? [[p.file, p.source] as const] : [])));
    return { inputs, files, sources };
  }

  /** Analyzes the Python files that changed since the last report; the others come from the cache. */
  private async analyzePython(eng: Engine, files: { rel: string; abs: string }[], signal: AbortSignal): Promise<ReportPythonInput[]> {
    const stats = await Promise.all(files.map((f) => stat(f.abs).catch(() => undefined)));
    const stale = files.filter((f, i) => {
      const hit = this.python.get(f.abs);
      const st = stats[i];
      return !hit || !st || hit.mtimeMs !== st.mtimeMs || hit.size !== st.size || hit.input.file !== f.rel;
    });
    if (stale.length > 0) {
      const settings = this.ctx.config.settings;
      const results = await eng.analyzePythonFiles(stale.map((f) => f.abs), {
        wasmDir: this.ctx.asset('dist'), signal, timeoutMs: 5000,
        // Models defined in one file and created in another are resolved across the workspace folders.
        workspaceRoots: (vscode.workspace.workspaceFolders ?? []).filter((w) => w.uri.scheme === 'file').map((w) => w.uri.fsPath),
        severity: settings.diagnosticsSeverity === 'default' ? {} : { all: settings.diagnosticsSeverity },
      });
      await Promise.all(results.map(async (r: FileAnalysis, i) => {
        const f = stale[i]!;
        const st = await stat(f.abs).catch(() => undefined);
        const input: ReportPythonInput = { file: f.rel };
        if (r.analysis) input.analysis = r.analysis;
        if (r.error) input.error = r.error;
        // The text is kept only for files with model sites or fixes: it is what edits are checked against.
        if (r.analysis && (r.analysis.sites.length > 0 || r.analysis.findings.some((x) => x.fix))) input.source = await readFile(f.abs, 'utf8').catch(() => undefined);
        if (st) this.python.set(f.abs, { mtimeMs: st.mtimeMs, size: st.size, input });
      }));
    }
    const present = new Set(files.map((f) => f.abs));
    for (const key of this.python.keys()) if (!present.has(key)) this.python.delete(key);
    return files.map((f) => this.python.get(f.abs)?.input ?? { file: f.rel, error: 'could not be read' });
  }

  private inspectOnnx(files: { rel: string; abs: string }[]): Promise<ReportOnnxInput[]> {
    return Promise.all(files.map(async (f) => {
      try {
        // Batch 1: the report's figures are per inference.
        return { file: f.rel, summary: await inspectCached(this.ctx, f.abs, 1) };
      } catch (err) {
        return { file: f.rel, error: (err as Error).message };
      }
    }));
  }
}
