/**
 * The options of a PyTorch profiling run and the harness they make: the configuration with its defaults,
 * the generated script (shown to the user before its first run) and its place in GreenLens's storage.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../atomicWrite';
import { discoverRapl, POWERCAP_ROOT, type RaplDomain } from '../meters/index';
import { generateHarness } from './generate';
import { DEFAULT_TORCH_VARIANTS, parseTorchVariantList } from './spec';
import type { HarnessConfig, TorchProfileProgress, TorchSite, TorchVariantSpec } from './types';

/** What a run needs; `site`, `python` and `storageDir` are required. */
export interface TorchProfileOptions {
  site: TorchSite;
  /** The interpreter to run (the user's environment). */
  python: string;
  /** GreenLens's own storage: the script and the ONNX export go here, never next to the user's files. */
  storageDir: string;
  /** Working directory of the harness (where the user's code usually runs); default: the site's folder. */
  cwd?: string;
  /** Specs as a comma-separated list or parsed; the baseline is always added first. */
  variants?: string | TorchVariantSpec[];
  datasetDir?: string;
  maxSamples?: number;
  /** Input shape including the batch axis, when it cannot or should not be inferred. */
  shape?: number[];
  inputDtype?: 'float32' | 'int64';
  batch?: number;
  /** Wall-clock budget of the whole run, ms (default 60 s); importing torch and building the model count. */
  budgetMs?: number;
  targetCiPct?: number;
  /** The process is killed after this long (default: twice the budget plus two minutes). */
  timeoutMs?: number;
  device?: 'cpu' | 'cuda';
  /** Export the baseline to ONNX (in the storage dir) so that the ONNX profiler can take over. */
  onnxExport?: boolean;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: TorchProfileProgress) => void;
  /** A fake powercap tree in tests. */
  raplRoot?: string;
}

/** A generated harness, ready to be shown, saved and run. */
export interface PreparedHarness {
  config: HarnessConfig;
  script: string;
  /** Where it is written before it runs (in the storage dir). */
  scriptPath: string;
  raplDomains: RaplDomain[];
  raplNote?: string;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);

/** Builds the configuration and the script; writes nothing. */
export function prepareTorchProfile(opts: TorchProfileOptions): PreparedHarness {
  const variants =
    typeof opts.variants === 'string' || opts.variants === undefined
      ? parseTorchVariantList(opts.variants ?? DEFAULT_TORCH_VARIANTS)
      : opts.variants;
  if (variants[0]?.kind !== 'baseline') variants.unshift({ id: 'baseline', kind: 'baseline' });
  const device = opts.device ?? 'cpu';
  const rapl = device === 'cpu' ? discoverRapl(opts.raplRoot ?? POWERCAP_ROOT) : undefined;
  const raplDomains = rapl?.ok ? rapl.domains : [];
  const key = createHash('sha256')
    .update(JSON.stringify([opts.site.file, opts.site.line, opts.site.label]))
    .digest('hex')
    .slice(0, 10);
  const config: HarnessConfig = {
    site: opts.site,
    input: { ...(opts.shape ? { shape: opts.shape } : {}), ...(opts.inputDtype ? { dtype: opts.inputDtype } : {}) },
    dataset: opts.datasetDir
      ? { dir: path.resolve(opts.datasetDir), ...(opts.maxSamples ? { maxSamples: opts.maxSamples } : {}) }
      : null,
    batch: opts.batch ?? 1,
    randomSamples: 32,
    seed: opts.seed ?? 0,
    device,
    budgetMs: opts.budgetMs ?? 60_000,
    targetCiPct: opts.targetCiPct ?? 2,
    maxRepetitions: 100_000,
    maxOutputValues: 4 * 1024 * 1024,
    rapl: raplDomains.map((d) => ({
      id: d.id,
      file: d.energyFile,
      ...(Number.isFinite(d.maxRangeUj) ? { maxRangeUj: d.maxRangeUj } : {}),
    })),
    onnxExport: opts.onnxExport ? path.join(opts.storageDir, 'onnx', `${safe(opts.site.label)}-${key}.onnx`) : null,
    variants,
  };
  const script = generateHarness(config);
  const digest = createHash('sha256').update(script).digest('hex').slice(0, 12);
  const scriptPath = path.join(
    opts.storageDir,
    'torch-harness',
    `greenlens_profile_${safe(opts.site.label)}_${digest}.py`,
  );
  return { config, script, scriptPath, raplDomains, raplNote: rapl && !rapl.ok ? rapl.reason : undefined };
}

/** Writes the prepared script to its place in the storage dir. */
export function writeHarness(p: PreparedHarness): string {
  mkdirSync(path.dirname(p.scriptPath), { recursive: true });
  // Parallel runs of one model share the script's name: Python must never run half of it.
  writeFileAtomicSync(p.scriptPath, p.script);
  return p.scriptPath;
}
