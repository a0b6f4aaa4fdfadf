/**
 * Gathers what `buildReport` needs from one or more folders: their Python files analyzed on worker
 * threads, their ONNX files inspected, the hardware resolved from the settings, and the profiles the caller
 * holds. Both front ends call this one gatherer, so a report of the same folder with the same settings
 * states the same inputs whichever built it. All I/O that differs between them comes in as parameters:
 * reading files (node:fs or `vscode.workspace.fs`), inspecting an ONNX file (in-process or on an isolated
 * worker), and detecting the machine (once per run or once per session).
 */
import * as path from 'node:path';
import type { OnnxSummary } from '../analyzers/onnx/summary';
import type { FileAnalysis } from '../analyzers/python/files';
import { analyzePythonFiles } from '../analyzers/python/pool';
import type { PythonAnalysis } from '../analyzers/python/types';
import { resolveHardware, type DetectedHardware, type ResolvedHardware } from '../energy/detect';
import type { FileReader, FileStamp } from '../fileAccess';
import type { ProfileResult } from '../profiler/types';
import { findWorkspaceFiles } from '../repository/files';
import { SETTING_KEYS, type Settings } from '../settings';
import type { ReportInputs, ReportOnnxInput, ReportPythonInput } from './inputs';

/** A folder to gather from; in a gathering over several folders, relative paths start with its name. */
export interface GatherRoot {
  path: string;
  name: string;
}

/** What the caller provides. */
export interface GatherOptions {
  roots: readonly GatherRoot[];
  /** Whether relative paths start with their root's name; by default when there are several roots. */
  multiRoot?: boolean;
  /** Sanitized settings (`sanitizeSettings`). */
  settings: Settings;
  files: FileReader;
  /** Reads an ONNX file's summary at batch 1 (the report's figures are per inference); rejects on a bad file. */
  inspectOnnx: (file: string) => Promise<OnnxSummary>;
  /** The machine as detected; the settings' hardware profile is applied here. */
  detectHardware: () => Promise<DetectedHardware>;
  /** The latest profile of ONNX files, by relative path; only those of files still present are kept. */
  profiles?: Readonly<Record<string, ProfileResult>>;
  /** Results kept between gatherings: a Python file is analyzed again only when its stamp changed. */
  cache?: PythonInputCache;
  /** Folder of the tree-sitter WASM files, when not the default. */
  wasmDir?: string;
  workspace: string;
  toolVersion: string;
  generatedAt: string;
  signal?: AbortSignal;
}

/** The inputs, and where each relative path of the report lives. */
export interface GatheredInputs {
  inputs: ReportInputs;
  /** Absolute path of each relative path the report names. */
  files: Map<string, string>;
  /** The text of each Python file as analyzed: an edit from the report applies only to this text. */
  sources: Map<string, string>;
  /** The hardware as resolved, with its CPU and GPU. */
  hardware: ResolvedHardware;
}

interface FoundFile {
  rel: string;
  abs: string;
}

interface CachedPython {
  stamp: FileStamp;
  input: ReportPythonInput;
}

/** Python inputs of earlier gatherings by absolute path, with the stamp each was analyzed at. */
export class PythonInputCache {
  private readonly entries = new Map<string, CachedPython>();

  /** The cached input, when the file is unchanged and still has the same relative path. */
  get(file: FoundFile, stamp: FileStamp | undefined): ReportPythonInput | undefined {
    const hit = this.entries.get(file.abs);
    if (
      !hit ||
      !stamp ||
      hit.stamp.mtimeMs !== stamp.mtimeMs ||
      hit.stamp.size !== stamp.size ||
      hit.input.file !== file.rel
    )
      return undefined;
    return hit.input;
  }

  set(abs: string, stamp: FileStamp, input: ReportPythonInput): void {
    this.entries.set(abs, { stamp, input });
  }

  /** Forgets files that are no longer found. */
  keepOnly(present: ReadonlySet<string>): void {
    for (const key of [...this.entries.keys()]) if (!present.has(key)) this.entries.delete(key);
  }
}

/** A path relative to its root with forward slashes; prefixed by the root's name when there are several. */
export function reportPath(root: GatherRoot, file: string, multiRoot: boolean): string {
  const rel = path.relative(root.path, file).split(path.sep).join('/');
  return multiRoot ? `${root.name}/${rel}` : rel;
}

/**
 * Where the report says its hardware came from: the machine, or the setting that named it (the CLI
 * words an editor setting as the flag that sets it, in everything it prints).
 */
export function hardwareSource(hw: ResolvedHardware, settings: Pick<Settings, 'hardwareProfile'>): string {
  return hw.chosenBy === 'detected'
    ? 'detected on this machine'
    : `setting greenlens.${SETTING_KEYS.hardwareProfile} = ${settings.hardwareProfile}`;
}

/** Gathers the report's inputs; never rejects for a bad file (each says why it has no figures). */
export async function gatherReportInputs(opts: GatherOptions): Promise<GatheredInputs> {
  const multi = opts.multiRoot ?? opts.roots.length > 1;
  const python: FoundFile[] = [];
  const onnx: FoundFile[] = [];
  for (const root of opts.roots) {
    const found = await findWorkspaceFiles(root.path, { exclude: opts.settings.exclude, signal: opts.signal });
    for (const abs of found.python) python.push({ rel: reportPath(root, abs, multi), abs });
    for (const abs of found.onnx) onnx.push({ rel: reportPath(root, abs, multi), abs });
  }
  const [pythonInputs, onnxInputs, detected] = await Promise.all([
    analyzePython(python, opts),
    inspectOnnx(onnx, opts),
    opts.detectHardware(),
  ]);
  opts.signal?.throwIfAborted();
  const hw = resolveHardware(opts.settings.hardwareProfile, detected);
  const stored = opts.profiles ?? {};
  const profiles = Object.fromEntries(onnx.flatMap((f) => (stored[f.rel] ? [[f.rel, stored[f.rel]!]] : [])));
  const inputs: ReportInputs = {
    workspace: opts.workspace,
    toolVersion: opts.toolVersion,
    generatedAt: opts.generatedAt,
    settings: opts.settings,
    hardware: { device: hw.primary, source: hardwareSource(hw, opts.settings), notes: hw.notes },
    onnx: onnxInputs,
    python: pythonInputs,
    profiles,
  };
  const files = new Map([...python, ...onnx].map((f) => [f.rel, f.abs] as const));
  const sources = new Map(pythonInputs.flatMap((p) => (p.source !== undefined ? [[p.file, p.source] as const] : [])));
  return { inputs, files, sources, hardware: hw };
}

/**
 * Analyzes the Python files whose stamp changed since the cache saw them (all of them without a cache).
 * The findings keep each rule's own severity: the report is a shared artifact, and the editor's display
 * setting `greenlens.diagnostics.severity` must not change what it says.
 */
async function analyzePython(files: FoundFile[], opts: GatherOptions): Promise<ReportPythonInput[]> {
  const stamps = await Promise.all(files.map((f) => opts.files.stamp(f.abs)));
  const out = files.map((f, i) => opts.cache?.get(f, stamps[i]));
  const stale = files.flatMap((f, i) => (out[i] ? [] : [{ f, i }]));
  if (stale.length > 0) {
    const results = await analyzePythonFiles(
      stale.map((s) => s.f.abs),
      {
        wasmDir: opts.wasmDir,
        signal: opts.signal,
        // Models defined in one file and created in another are resolved across all the folders.
        workspaceRoots: opts.roots.map((r) => r.path),
      },
    );
    await Promise.all(
      results.map(async (r: FileAnalysis, k) => {
        const { f, i } = stale[k]!;
        const input = await pythonInput(f, r, opts.files);
        out[i] = input;
        const stamp = stamps[i];
        if (stamp) opts.cache?.set(f.abs, stamp, input);
      }),
    );
  }
  opts.cache?.keepOnly(new Set(files.map((f) => f.abs)));
  return out.map((input, i) => input ?? { file: files[i]!.rel, error: 'could not be read' });
}

/** Whether an edit may be built from this analysis: it has model sites, or a finding with a fix. */
function needsSource(a: PythonAnalysis): boolean {
  return a.sites.length > 0 || a.findings.some((x) => x.fix);
}

async function pythonInput(f: FoundFile, r: FileAnalysis, files: FileReader): Promise<ReportPythonInput> {
  const input: ReportPythonInput = { file: f.rel };
  if (r.analysis) input.analysis = r.analysis;
  if (r.error) input.error = r.error;
  // The text is kept only where an edit can be built from it: it is what edits are checked against.
  if (r.analysis && needsSource(r.analysis)) {
    const source = await files.readText(f.abs).catch(() => undefined);
    if (source !== undefined) input.source = source;
  }
  return input;
}

function inspectOnnx(files: FoundFile[], opts: GatherOptions): Promise<ReportOnnxInput[]> {
  return Promise.all(
    files.map(async (f) => {
      try {
        return { file: f.rel, summary: await opts.inspectOnnx(f.abs) };
      } catch (err) {
        return { file: f.rel, error: (err as Error).message };
      }
    }),
  );
}
