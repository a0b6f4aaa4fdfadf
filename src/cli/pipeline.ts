/**
 * The report pipeline shared by `greenlens demo` and `greenlens report`: find a folder's files, analyze
 * its Python code, inspect its ONNX models, profile them on this machine within a time budget, and build
 * the report. Only this module does I/O; `buildReport` stays pure.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { inspectOnnxFile } from '../analyzers/onnx/index';
import { detectHardware } from '../energy/detect';
import { nodeFileReader } from '../fileAccess';
import { profileModel, type ProfileProgress, type ProfileResult } from '../profiler/index';
import { markOutputFolder } from '../repository/files';
import { buildReport, type ReportInputs } from '../report/build';
import { gatherReportInputs } from '../report/gather';
import { renderReport, type ReportFormat } from '../report/render';
import type { Report } from '../report/types';
import { sanitizeSettings, type SettingProblem } from '../settings';
import { datasetFor } from '../repository/datasets';

export { datasetFor } from '../repository/datasets';

declare const GREENLENS_VERSION: string | undefined;

/** The variants a report profiles: cheap to build, and the ones that usually pay off on a CPU. */
export const REPORT_VARIANTS = 'int8-dynamic,int8-static,opt-all';

export interface PipelineOptions {
  folder: string;
  /**
   * Where profiled variants are written (`variants/`) and their results cached (`.cache/`, so a cached
   * result always names a variant file in this folder); relative paths in the report start here.
   */
  outDir: string;
  /** Wall-clock budget of all profiling, ms, split evenly over the ONNX models; 0 skips profiling. */
  budgetMs: number;
  /** Raw settings keyed as in SETTING_KEYS (`workload.inferencesPerDay`), sanitized here. */
  rawSettings?: Record<string, unknown>;
  /** How problems with them name a setting: the CLI names its flag. */
  settingNames?: (key: string) => string;
  /** A labelled dataset folder for every model, instead of the ones found under `<folder>/data`. */
  datasetDir?: string;
  variants?: string;
  log?: (line: string) => void;
  onProgress?: (p: ProfileProgress) => void;
  signal?: AbortSignal;
  /** Fixed time stamp (tests); now by default. */
  generatedAt?: string;
}

export interface PipelineResult {
  report: Report;
  inputs: ReportInputs;
  settingProblems: SettingProblem[];
}

const posix = (p: string): string => p.split(path.sep).join('/');

/**
 * Paths in a profile made shareable: the model relative to the workspace, variant files relative to the
 * report's folder (where they were written), so report.json names no private absolute path.
 */
function relativize(profile: ProfileResult, folder: string, outDir: string): ProfileResult {
  const rel = (p: string, base: string): string =>
    path.isAbsolute(p) && !path.relative(base, p).startsWith('..') ? posix(path.relative(base, p)) : p;
  return {
    ...profile,
    modelPath: rel(profile.modelPath, folder),
    variants: profile.variants.map((v) =>
      v.modelPath
        ? { ...v, modelPath: v.kind === 'baseline' ? rel(v.modelPath, folder) : rel(v.modelPath, outDir) }
        : v,
    ),
  };
}

/**
 * Marks the folders of variants and cached results as GreenLens's output, so that a later run over a
 * folder that holds them (the default output folder lies under the working directory) never analyzes its
 * own variants. The output folder itself is not marked: `--out` may name a folder of the user's own.
 */
async function markOutput(opts: PipelineOptions): Promise<void> {
  await markOutputFolder(path.join(opts.outDir, 'variants'));
  await markOutputFolder(path.join(opts.outDir, '.cache'));
}

async function profileAll(files: string[], opts: PipelineOptions): Promise<Record<string, ProfileResult>> {
  const out: Record<string, ProfileResult> = {};
  if (opts.budgetMs <= 0 || files.length === 0) return out;
  await markOutput(opts);
  const each = opts.budgetMs / files.length;
  for (const file of files) {
    const rel = posix(path.relative(opts.folder, file));
    const datasetDir = opts.datasetDir ?? datasetFor(opts.folder, file);
    opts.log?.(
      `  profiling ${rel} (${(each / 1000).toFixed(0)} s budget${datasetDir ? `, labelled data ${posix(path.relative(opts.folder, datasetDir))}` : ', random inputs'})…`,
    );
    try {
      const result = await profileModel({
        modelPath: file,
        storageDir: path.join(opts.outDir, 'variants'),
        cacheDir: path.join(opts.outDir, '.cache'),
        variants: opts.variants ?? REPORT_VARIANTS,
        budgetMs: each,
        inputs: datasetDir ? { datasetDir } : {},
        signal: opts.signal,
        onProgress: opts.onProgress,
      });
      out[rel] = relativize(result, opts.folder, opts.outDir);
    } catch (err) {
      opts.log?.(`  ${rel} could not be profiled: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Runs the whole pipeline over a folder and returns the report with the inputs it was built from. */
export async function runReportPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const { settings, problems } = sanitizeSettings(opts.rawSettings ?? {}, opts.settingNames);
  const gathered = await gatherReportInputs({
    roots: [{ path: opts.folder, name: path.basename(path.resolve(opts.folder)) }],
    settings,
    files: nodeFileReader,
    inspectOnnx: (file) => Promise.resolve().then(() => inspectOnnxFile(file)),
    detectHardware: () => detectHardware({ signal: opts.signal }),
    workspace: path.basename(path.resolve(opts.folder)),
    toolVersion: typeof GREENLENS_VERSION === 'string' ? GREENLENS_VERSION : 'dev',
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    signal: opts.signal,
  });
  const onnxFiles = gathered.inputs.onnx.map((o) => gathered.files.get(o.file)!);
  opts.log?.(`${gathered.inputs.python.length} Python files, ${onnxFiles.length} ONNX models in ${opts.folder}`);
  const inputs: ReportInputs = { ...gathered.inputs, profiles: await profileAll(onnxFiles, opts) };
  return { report: buildReport(inputs), inputs, settingProblems: problems };
}

/**
 * The build folder holding the report page's script: the CLI bundle's own folder (dist/), or dist/ of the
 * repository when running from source.
 */
export function defaultDistDir(): string {
  return existsSync(path.join(__dirname, 'webview.js')) ? __dirname : path.resolve(__dirname, '..', '..', 'dist');
}

/** Writes `report.<format>` files into `outDir` and returns their paths. */
export async function writeReportFiles(
  report: Report,
  outDir: string,
  formats: readonly ReportFormat[],
  distDir?: string,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    const file = path.join(outDir, `report.${f}`);
    await writeFile(file, renderReport(report, f, distDir ?? defaultDistDir()));
    written.push(file);
  }
  return written;
}
