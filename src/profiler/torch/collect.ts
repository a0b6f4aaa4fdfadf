/**
 * Collects the harness's messages of one run as they come: forwards progress to the caller, opens and
 * closes the GPU meter's window around the interleaved measurement, and keeps what the result is built
 * from (the environment, the model, the inputs, every variant's result and the measurement's description).
 */
import { cpus } from 'node:os';
import { LoadMonitor, loadNotes } from '../load';
import { NvidiaSmiMeter } from '../meters/index';
import type { LoadReport, MeasurementInfo } from '../types';
import { harnessOverheadPct, passNotes, variantResult, type AssembleContext } from './assemble';
import type { PreparedHarness, TorchProfileOptions } from './prepare';
import type {
  HarnessMessage,
  HelloMessage,
  InputsMessage,
  MeasurementMessage,
  ModelMessage,
  PhaseMessage,
  VariantMessage,
  WireLoadSample,
} from './protocol';
import { torchVariantLabel } from './spec';
import type { TorchEnvironment, TorchProfileResult, TorchVariantResult, TorchVariantSpec } from './types';

/** Collects the messages of one run. */
export class RunState {
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

  /** Takes one message of the harness, in the order it was sent. */
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
        this.phase(m);
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

  /** A variant's phase: the first measuring phase on a GPU opens the GPU meter's window. */
  private phase(m: PhaseMessage): void {
    if (m.phase === 'measuring' && m.repetitions === 0 && this.prepared.config.device === 'cuda') {
      this.gpuMeter = new NvidiaSmiMeter();
      this.gpuMeter.begin();
    }
    this.opts.onProgress?.({
      type: 'variant-phase',
      id: m.id,
      phase: m.phase,
      ...(m.repetitions !== undefined ? { repetitions: m.repetitions } : {}),
      ...(typeof m.ciPct === 'number' ? { ciPct: m.ciPct } : {}),
      ...(m.pass !== undefined ? { pass: m.pass } : {}),
      ...(m.passes !== undefined ? { passes: m.passes } : {}),
    });
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

/** The interpreter and torch build the harness reported, with defaults for what an old harness leaves out. */
export function environmentOf(h: HelloMessage): TorchEnvironment {
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

/** The model's description as the result keeps it (the message without its type tag). */
export function modelOf(m: ModelMessage): TorchProfileResult['model'] {
  const { type: _type, ...rest } = m;
  return rest;
}
