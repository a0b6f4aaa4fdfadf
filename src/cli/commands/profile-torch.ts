/**
 * `greenlens profile-torch <file.py[:LINE]>`: measures the first study's tactics (dynamic quantization,
 * torch.compile, local and global pruning) and half precision on a PyTorch model site, in the user's own
 * Python, and prints them in the ONNX profiler's format; `--onnx` exports the baseline and hands it over to
 * the ONNX profiler.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePythonFiles } from '../../analyzers/python/index';
import {
  TORCH_VARIANT_FORMS,
  TorchProfileError,
  TorchVariantSpecError,
  formatTorchProfile,
  parseTorchVariantList,
  pickSite,
  prepareTorchProfile,
  profileTorch,
  torchSiteOf,
  type TorchProfileOptions,
  type TorchProfileProgress,
  type TorchSite,
} from '../../profiler/torch/index';
import { assertRegularFile } from '../../fileAccess';
import { CliUsageError, EXIT, defaultCacheDir, stopOnSignals, type CliCommand, type CliIO } from '../io';
import { DURATION_LIMITS } from '../../settings';
import { parseDuration } from './profile';

/** Splits `file.py:12` into the file and the 1-based line (a Windows drive colon is not a line). */
export function parseTarget(text: string): { file: string; line?: number } {
  const m = /^(.*\.pyw?):(\d+)$/i.exec(text);
  if (m) return { file: m[1] as string, line: Number(m[2]) };
  return { file: text };
}

/** Parses `1,784` or `1x3x224x224` into a shape of positive integers. */
export function parseShape(text: string): number[] {
  const dims = text.split(/[,x×]/).map((d) => Number(d.trim()));
  if (dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0))
    throw new CliUsageError(`--shape expects positive integers such as 1,784 or 1,3,224,224, got "${text}"`);
  return dims;
}

/** The interpreter when none is given: python3, or python on Windows where python3 is often a store stub. */
export function defaultPython(): string {
  return process.env.GREENLENS_PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
}

async function siteOf(file: string, line: number | undefined): Promise<TorchSite> {
  assertRegularFile(file);
  const [fa] = await analyzePythonFiles([file], { workers: 1 });
  if (!fa?.analysis) throw new CliUsageError(`${file}: ${fa?.error ?? 'could not be analyzed'}`);
  const sites = fa.analysis.sites;
  let index: number;
  if (line === undefined) {
    const creations = sites.map((s, i) => ({ s, i })).filter(({ s }) => s.kind !== 'define');
    if (creations.length !== 1)
      throw new CliUsageError(
        `${file} has ${creations.length} model sites: name one as ${path.basename(file)}:LINE (sites at lines ${creations.map(({ s }) => s.range.start.line + 1).join(', ') || 'none'})`,
      );
    index = (creations[0] as { i: number }).i;
  } else {
    const picked = pickSite(sites, line);
    if ('error' in picked) throw new CliUsageError(`${file}: ${picked.error}`);
    index = picked.index;
  }
  try {
    return torchSiteOf(sites[index]!, file);
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}

function progressPrinter(io: CliIO): (p: TorchProfileProgress) => void {
  return (p) => {
    if (p.type === 'environment')
      io.err(`Python ${p.environment.python} (${p.environment.executable}), torch ${p.environment.torch}`);
    else if (p.type === 'model')
      io.err(
        `model: ${p.model.label}, ${(p.model.parameters / 1e6).toFixed(2)} M parameters, weights: ${p.model.weights}`,
      );
    else if (p.type === 'variant-finished') {
      const r = p.result;
      io.err(
        `[${p.index + 1}/${p.total}] ${r.id}: ${r.status}${r.metrics ? ` p50 ${r.metrics.p50Ms.toFixed(3)} ms` : ''}${r.reason ? ` (${r.reason})` : ''}`,
      );
    }
  };
}

const OPTIONS = {
  python: { type: 'string' },
  json: { type: 'boolean' },
  dataset: { type: 'string' },
  'max-samples': { type: 'string' },
  budget: { type: 'string' },
  timeout: { type: 'string' },
  variants: { type: 'string' },
  shape: { type: 'string' },
  dtype: { type: 'string' },
  device: { type: 'string' },
  onnx: { type: 'boolean' },
  storage: { type: 'string' },
  'save-script': { type: 'string' },
  'print-script': { type: 'boolean' },
} as const;

function options(
  values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>['values'],
  site: TorchSite,
  io: CliIO,
): TorchProfileOptions {
  let variants;
  try {
    variants = values.variants !== undefined ? parseTorchVariantList(values.variants) : undefined;
  } catch (e) {
    if (e instanceof TorchVariantSpecError) throw new CliUsageError(e.message);
    throw e;
  }
  if (values.device !== undefined && values.device !== 'cpu' && values.device !== 'cuda')
    throw new CliUsageError('--device expects cpu or cuda');
  if (values.dtype !== undefined && values.dtype !== 'float32' && values.dtype !== 'int64')
    throw new CliUsageError('--dtype expects float32 or int64');
  const maxSamples = values['max-samples'] !== undefined ? Number(values['max-samples']) : undefined;
  if (maxSamples !== undefined && !(Number.isInteger(maxSamples) && maxSamples > 0))
    throw new CliUsageError('--max-samples expects a positive integer');
  return {
    site,
    python: values.python ?? defaultPython(),
    cwd: io.cwd,
    storageDir: values.storage ? path.resolve(io.cwd, values.storage) : path.join(defaultCacheDir(), 'torch'),
    ...(variants ? { variants } : {}),
    ...(values.dataset ? { datasetDir: path.resolve(io.cwd, values.dataset) } : {}),
    ...(maxSamples ? { maxSamples } : {}),
    ...(values.shape ? { shape: parseShape(values.shape) } : {}),
    ...(values.dtype ? { inputDtype: values.dtype } : {}),
    ...(values.device ? { device: values.device } : {}),
    budgetMs: values.budget ? parseDuration(values.budget) : 60_000,
    ...(values.timeout ? { timeoutMs: parseDuration(values.timeout, '--timeout', DURATION_LIMITS.timeout) } : {}),
    onnxExport: Boolean(values.onnx),
    onProgress: progressPrinter(io),
  };
}

/** Hands the exported baseline to the ONNX profiler (same dataset and budget). */
async function onnxHandover(exported: string, opts: TorchProfileOptions, io: CliIO, signal: AbortSignal) {
  const { profileModel } = await import('../../profiler/index');
  io.err(`handing ${exported} over to the ONNX profiler`);
  return profileModel({
    modelPath: exported,
    storageDir: path.join(opts.storageDir, 'variants'),
    inputs: opts.datasetDir ? { datasetDir: opts.datasetDir } : {},
    budgetMs: opts.budgetMs,
    signal,
  });
}

export const profileTorchCommand: CliCommand = {
  summary: 'measure quantization, torch.compile, pruning and fp16/bf16 on a PyTorch model site in your Python',
  usage:
    'greenlens profile-torch <file.py[:LINE]> [--python /usr/bin/python3] [--json] [--dataset dir] [--max-samples n] [--budget 60s] [--timeout 5m] ' +
    `[--variants a,b,...] [--shape 1,784] [--dtype float32|int64] [--device cpu|cuda] [--onnx] [--storage dir] [--save-script file] [--print-script]\n  variants: ${TORCH_VARIANT_FORMS.join(', ')}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
    if (!positionals[0]) throw new CliUsageError('missing the Python file (file.py or file.py:LINE)');
    const target = parseTarget(positionals[0]);
    const site = await siteOf(path.resolve(io.cwd, target.file), target.line);
    const opts = options(values, site, io);
    const prepared = prepareTorchProfile(opts);
    if (values['save-script']) {
      writeFileSync(path.resolve(io.cwd, values['save-script']), prepared.script, 'utf8');
      io.err(`harness written to ${values['save-script']}`);
    }
    if (values['print-script']) {
      io.out(prepared.script);
      return 0;
    }
    const stop = stopOnSignals();
    try {
      const result = await profileTorch({ ...opts, signal: stop.signal }, prepared);
      if (result.onnxExport && 'path' in result.onnxExport && !stop.signal.aborted)
        result.onnxProfile = await onnxHandover(result.onnxExport.path, opts, io, stop.signal);
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(formatTorchProfile(result));
        if (result.onnxProfile)
          io.out(
            `\nONNX profiler on the exported baseline:\n${(await import('../../report/profileText')).formatProfile(result.onnxProfile)}`,
          );
      }
      return stop.exitCode(result.variants.some((v) => v.status === 'error') ? EXIT.variantFailed : EXIT.ok);
    } catch (e) {
      if (stop.signal.aborted) return stop.exitCode(EXIT.usage);
      if (!(e instanceof TorchProfileError)) throw e;
      io.err(`greenlens profile-torch: ${e.message}`);
      const tail = e.details.stderrTail?.trim().split('\n').slice(-12).join('\n');
      if (tail && ['import-failed', 'build-failed', 'baseline-failed', 'crashed', 'internal'].includes(e.code))
        io.err(`Python's last output:\n${tail}`);
      if (e.details.scriptPath) io.err(`the script that ran: ${e.details.scriptPath}`);
      return stop.exitCode(EXIT.input);
    } finally {
      stop.dispose();
    }
  },
};
