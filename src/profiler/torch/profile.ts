/**
 * Profiles a PyTorch model site in the user's Python: prepares the harness (shown to the user before its
 * first run), runs it in a child process with a time limit, streams progress, and assembles a result in
 * the ONNX profiler's format. Fatal problems become a TorchProfileError with a message for the user.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../atomicWrite';
import { hashFile, machineFingerprint } from '../cache';
import { discoverRapl, NvidiaSmiMeter, POWERCAP_ROOT, type RaplDomain } from '../meters/index';
import { heavyLoadWarning, LoadMonitor, loadNotes } from '../load';
import { busyCpus } from '../threads';
import type { LoadReport, MeasurementInfo } from '../types';
import { harnessOverheadPct, passNotes, variantResult, type AssembleContext } from './assemble';
import { generateHarness } from './generate';
import {
  HARNESS_PROTOCOL,
  type HarnessMessage,
  type HelloMessage,
  type InputsMessage,
  type MeasurementMessage,
  type ModelMessage,
  type VariantMessage,
  type WireLoadSample,
} from './protocol';
import { harnessEnv, runHarness, type HarnessExit } from './process';
import { DEFAULT_TORCH_VARIANTS, parseTorchVariantList, torchVariantLabel } from './spec';
import {
  TorchProfileError,
  type HarnessConfig,
  type TorchEnvironment,
  type TorchErrorCode,
  type TorchProfileProgress,
  type TorchProfileResult,
  type TorchSite,
  type TorchVariantResult,
  type TorchVariantSpec,
} from './types';

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

const HARNESS_CODES: readonly string[] = [
  'no-torch',
  'no-numpy',
  'no-device',
  'import-failed',
  'build-failed',
  'needs-download',
  'no-input-shape',
  'dataset',
  'baseline-failed',
];

/** Collects the messages of one run. */
class RunState {
  hello?: HelloMessage;
  model?: ModelMessage;
  inputs?: InputsMessage;
  fatal?: { code: string; message: string };
  done = false;
  onnx?: TorchProfileResult['onnxExport'];
  results: TorchVariantResult[] = [];
  /** How many variant-finished events were sent. */
  private finished = 0;
  measurement?: MeasurementInfo;
  stray: string[] = [];
  readonly ctx: AssembleContext;
  private gpuMeter?: NvidiaSmiMeter;

  constructor(
    private readonly prepared: PreparedHarness,
    private readonly opts: TorchProfileOptions,
  ) {
    this.ctx = { raplDomains: prepared.raplDomains, raplNote: prepared.raplNote };
  }

  private spec(id: string): TorchVariantSpec | undefined {
    return this.prepared.config.variants.find((v) => v.id === id);
  }

  on(m: HarnessMessage): void {
    const progress = this.opts.onProgress;
    const total = this.prepared.config.variants.length;
    switch (m.type) {
      case 'hello':
        this.hello = m;
        if (m.torch) progress?.({ type: 'environment', environment: environmentOf(m) });
        break;
      case 'model':
        this.model = m;
        progress?.({ type: 'model', model: modelOf(m) });
        break;
      case 'inputs':
        this.inputs = m;
        this.ctx.labels = m.labels ?? undefined;
        break;
      case 'variant-started': {
        const spec = this.spec(m.id);
        if (spec)
          progress?.({ type: 'variant-started', index: m.index, total, id: m.id, label: torchVariantLabel(spec) });
        break;
      }
      case 'measurement':
        this.measured(m);
        break;
      case 'phase':
        if (m.phase === 'measuring' && m.repetitions === 0 && this.prepared.config.device === 'cuda') {
          this.gpuMeter = new NvidiaSmiMeter();
          this.gpuMeter.begin();
        }
        progress?.({
          type: 'variant-phase',
          id: m.id,
          phase: m.phase,
          ...(m.repetitions !== undefined ? { repetitions: m.repetitions } : {}),
          ...(typeof m.ciPct === 'number' ? { ciPct: m.ciPct } : {}),
          ...(m.pass !== undefined ? { pass: m.pass } : {}),
          ...(m.passes !== undefined ? { passes: m.passes } : {}),
        });
        break;
      case 'variant':
        this.variant(m, total);
        break;
      case 'onnx-export':
        this.onnx =
          m.path !== undefined && m.ms !== undefined
            ? { path: m.path, ms: m.ms }
            : { error: m.error ?? 'unknown error' };
        break;
      case 'error':
        this.fatal = { code: m.code, message: m.message };
        break;
      case 'done':
        this.done = true;
        break;
    }
  }

  /** The interleaved rounds ended: the GPU window closes, and the load decides the intervals' level. */
  private measured(m: MeasurementMessage): void {
    if (this.gpuMeter) {
      try {
        this.ctx.gpu = { joules: this.gpuMeter.end(), meter: 'nvidia-smi' };
      } catch (e) {
        this.ctx.gpu = {
          meter: 'nvidia-smi',
          note: `GPU energy not measured (${(e as Error).message}); the estimate covers the CPU only`,
        };
      }
      this.gpuMeter = undefined;
    }
    const cores = cpus().length;
    const load = replayLoad(m.load, cores);
    const level = load?.rose ? 0.99 : 0.95;
    Object.assign(this.ctx, {
      level,
      granularityMs: m.granularityMs ?? 0,
      cores,
      wallMs: m.wallMs,
      blockMsTotal: m.blockMsTotal,
    });
    const overheadPct = harnessOverheadPct(m);
    this.measurement = {
      method: 'interleaved',
      rounds: m.rounds,
      blockTargetMs: m.blockTargetMs,
      clockGranularityUs: (m.granularityMs ?? 0) * 1000,
      level,
      wallMs: m.wallMs,
      passes: m.passes ?? 1,
      ...(overheadPct !== undefined ? { overheadPct } : {}),
      ...(load ? { load } : {}),
      notes: [...loadNotes(load, cores), ...passNotes(m)],
    };
  }

  private variant(m: VariantMessage, total: number): void {
    const spec = this.spec(m.id);
    if (!spec) return;
    const { result, outputs, log, passes } = variantResult(spec, m, this.ctx);
    if (spec.kind === 'baseline')
      this.ctx.baseline = {
        result,
        outputs,
        ...(log ? { log } : {}),
        ...(passes ? { passes } : {}),
        ...(m.status === 'measured' ? { batch: m.batch } : {}),
      };
    this.results.push(result);
    this.finishInOrder(total);
  }

  /**
   * variant-finished events in the order of the run's variants: unavailable variants are known before the
   * interleaved measurement ends, and a caller numbering its lines expects 1, 2, 3.
   */
  private finishInOrder(total: number): void {
    const variants = this.prepared.config.variants;
    for (;;) {
      const next = variants[this.finished];
      const result = next && this.results.find((r) => r.id === next.id);
      if (!result) return;
      this.opts.onProgress?.({ type: 'variant-finished', index: this.finished, total, result });
      this.finished++;
    }
  }

  /** The results in the order of the run's variants (unavailable ones are reported before the measured ones). */
  ordered(): TorchVariantResult[] {
    const at = (id: string) => this.prepared.config.variants.findIndex((v) => v.id === id);
    return [...this.results].sort((a, b) => at(a.id) - at(b.id));
  }

  dispose(): void {
    try {
      this.gpuMeter?.end();
    } catch {
      /* Only stopping the sampler matters here. */
    }
  }
}

/** The harness's load samples through the same monitor as the ONNX profiler's (one window per sample). */
export function replayLoad(samples: WireLoadSample[], cores: number): LoadReport | undefined {
  let i = 0;
  const at = () => samples[Math.min(i, samples.length - 1)];
  const monitor = new LoadMonitor(
    {
      procStat: () => {
        const x = at();
        return x && x.busy !== null && x.total !== null ? { busy: x.busy, total: x.total } : undefined;
      },
      ownCpuMs: () => at()?.ownMs ?? 0,
      cpuMhz: () => at()?.mhz ?? undefined,
      cpus: cores,
    },
    0,
  );
  for (; i < samples.length; i++) monitor.sample(samples[i]?.t ?? 0);
  return monitor.report();
}

function environmentOf(h: HelloMessage): TorchEnvironment {
  return {
    python: h.python,
    executable: h.executable,
    platform: h.platform,
    torch: h.torch ?? 'missing',
    ...(h.torchvision ? { torchvision: h.torchvision } : {}),
    ...(h.numpy ? { numpy: h.numpy } : {}),
    threads: h.threads ?? 0,
    quantEngine: h.quantEngine ?? 'unknown',
    compile: h.compile ?? false,
    cuda: h.cuda ?? false,
    device: h.device ?? 'cpu',
    deviceName: h.deviceName ?? 'unknown',
  };
}

function modelOf(m: ModelMessage): TorchProfileResult['model'] {
  const { type: _type, ...rest } = m;
  return rest;
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** The error for a run that did not finish, in words for the user. */
function failure(exit: HarnessExit, s: RunState, opts: TorchProfileOptions, p: PreparedHarness): TorchProfileError {
  const details = {
    environment: s.hello?.torch ? environmentOf(s.hello) : undefined,
    stderrTail: exit.stderrTail,
    scriptPath: p.scriptPath,
  };
  const err = (message: string, code: TorchErrorCode) => new TorchProfileError(message, code, details);
  if (exit.spawnError) {
    const why =
      exit.spawnError.code === 'ENOENT' ? 'was not found' : `could not be started (${exit.spawnError.message})`;
    return err(
      `The Python interpreter "${opts.python}" ${why}. Set greenlens.pythonPath (or --python) to the interpreter that has PyTorch.`,
      'no-python',
    );
  }
  if (exit.stoppedBy === 'cancelled')
    return err('Profiling was cancelled; the harness and every process it started were stopped.', 'cancelled');
  if (exit.stoppedBy === 'timeout') {
    const last = tail(exit.stderrTail, 4);
    return err(
      `The harness did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s and was stopped with every process it started (a hang in the model or in its import?).${last ? ` Its last output: ${last}` : ''}`,
      'timeout',
    );
  }
  if (s.fatal) {
    const code = (HARNESS_CODES.includes(s.fatal.code) ? s.fatal.code : 'internal') as TorchErrorCode;
    const where = s.hello
      ? ` (Python ${s.hello.python} at ${s.hello.executable}${s.hello.torch ? `, torch ${s.hello.torch}` : ''})`
      : '';
    return err(`${s.fatal.message}${code === 'no-torch' ? '' : where}`, code);
  }
  if (s.hello && s.hello.protocol !== HARNESS_PROTOCOL)
    return err(`The harness speaks protocol ${s.hello.protocol}, GreenLens ${HARNESS_PROTOCOL}.`, 'protocol');
  const why = exit.signal
    ? `was killed by ${exit.signal}${exit.signal === 'SIGKILL' ? ' (out of memory?)' : ''}`
    : `exited with code ${exit.code}`;
  const last = tail(exit.stderrTail);
  const hint =
    !s.hello && /SyntaxError|invalid syntax/.test(last)
      ? ' The interpreter may be Python 2 or too old; GreenLens needs Python 3.8 or later.'
      : '';
  return err(`The harness ${why} before finishing.${hint}${last ? ` Its last output:\n${last}` : ''}`, 'crashed');
}

/** Writes the prepared script to its place in the storage dir. */
export function writeHarness(p: PreparedHarness): string {
  mkdirSync(path.dirname(p.scriptPath), { recursive: true });
  // Parallel runs of one model share the script's name: Python must never run half of it.
  writeFileAtomicSync(p.scriptPath, p.script);
  return p.scriptPath;
}

/** Runs the harness and resolves with the result; rejects with a TorchProfileError when no result is possible. */
export async function profileTorch(
  opts: TorchProfileOptions,
  prepared: PreparedHarness = prepareTorchProfile(opts),
): Promise<TorchProfileResult> {
  const started = Date.now();
  const budgetMs = prepared.config.budgetMs;
  const timeoutMs = opts.timeoutMs ?? budgetMs * 2 + 120_000;
  writeHarness(prepared);
  const s = new RunState(prepared, opts);
  const warning = heavyLoadWarning(await busyCpus(), cpus().length);
  opts.onProgress?.({
    type: 'run-started',
    total: prepared.config.variants.length,
    variants: prepared.config.variants.map((v) => v.id),
    ...(warning ? { warning } : {}),
  });
  let exit: HarnessExit;
  try {
    exit = await runHarness({
      python: opts.python,
      script: prepared.scriptPath,
      cwd: opts.cwd ?? path.dirname(opts.site.file),
      timeoutMs,
      signal: opts.signal,
      env: harnessEnv(),
      onMessage: (m) => s.on(m),
      onStray: (l) => {
        if (s.stray.length < 20) s.stray.push(l);
      },
    });
  } finally {
    s.dispose();
  }
  if (!s.done || !s.hello || !s.model || !s.inputs || exit.stoppedBy)
    throw failure(exit, s, { ...opts, timeoutMs }, prepared);
  const baseline = s.results.find((r) => r.kind === 'baseline');
  const { ortVersion: _ort, ...machine } = machineFingerprint();
  const { args: _args, ...site } = opts.site;
  const result: TorchProfileResult = {
    profiler: 'torch',
    modelPath: opts.site.file,
    modelSha256: await hashFile(opts.site.file),
    modelBytes: baseline?.metrics?.fileBytes ?? 0,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine,
    inputs: { source: s.inputs.source, description: s.inputs.description, labelled: s.inputs.labels !== null },
    budgetMs,
    variants: s.ordered(),
    site,
    ...(s.measurement ? { measurement: s.measurement } : {}),
    environment: environmentOf(s.hello),
    model: modelOf(s.model),
    ...(s.onnx ? { onnxExport: s.onnx } : {}),
    scriptPath: prepared.scriptPath,
    notes: [
      'Every variant runs under torch.no_grad() in one Python process, as a copy of the baseline built in that process.',
      "Every variant is built and checked first; then all of them, the baseline included, are timed together in randomized round-robin blocks, so that changes in the machine's load hit them alike, in passes that build every variant again.",
      "file: the size of the variant's serialized state_dict (torch.save).",
      "memory: the process's peak resident set while the variant was built and checked, including Python, torch and the variants built before it.",
      ...(warning ? [warning] : []),
      ...(s.stray.length
        ? [`The harness printed ${s.stray.length} line(s) that are not protocol messages; they were ignored.`]
        : []),
    ],
  };
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}
