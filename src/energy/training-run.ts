/**
 * The one prediction of a training run's epoch time and GPU energy, with bands, validity range and
 * physical bounds. estimateTraining and the benchmark both call it, so the coverage the benchmark
 * measures is the coverage of the figures users see.
 *
 * Epoch time (before training) comes from the PRE epoch-time regressor for FP32/TF32 runs (the precision
 * of its fitting runs) and, for mixed precision and for TF32 on GPUs with a faster TF32 tensor path, from a
 * compute-share model: 3 × forward FLOPs per image
 * ÷ (the reference GPU's dense peak × the share of it that training reaches in timm's mixed-precision
 * training benchmark on an RTX 3090, a function of GFLOPs and activations), moved to the user's GPU by a
 * roofline split of peak and memory bandwidth (device-transfer.ts). Neither may beat the physical bound:
 * 3 × forward FLOPs × images ÷ (GPUs × dense peak). Power per board is the PRE power regressor, capped at
 * the board's power limit.
 */
import { predictEpochSeconds, predictPrePower, type PreGpu, type PreModel } from './training-pre';
import { densePeakTflops, type TrainingPrecision } from './gpu-specs';
import { checkValidity, WIDEN_STEP, type ValidityCheck } from './training-validity';
import { transferTime, type DeviceRoof } from './device-transfer';

/** A value with its band, in the unit of its name. */
export interface Band {
  value: number;
  low: number;
  high: number;
}

/** What the prediction needs. */
export interface RunSpec {
  /** Forward GFLOPs per image at the training image size, from the model's MACs (for the bounds). */
  fwdGflops: number;
  /** The same, as the fitting data counts it (for the regressors); equals fwdGflops for other models. */
  fitGflops: number;
  /** The fitting data's name of the architecture, when it is one of them (its time band is then narrower). */
  architecture?: string;
  /** Forward activations per image at the training size, millions (sharpens the compute-share model). */
  mactsM?: number;
  /** Images per epoch over all GPUs. */
  imagesPerEpoch: number;
  gpu: PreGpu;
  gpus: number;
  precision: TrainingPrecision;
  batch?: number;
  imageSize: number;
}

/** How a time measured on the reference GPU was moved to the user's GPU. */
export interface TransferNote {
  /** The GPU the compute-share model was measured on. */
  from: string;
  /** Time on the user's GPU over time on the reference GPU. */
  factor: number;
  /** The share of the time taken as arithmetic (the rest is memory traffic). */
  computeFraction: number;
}

type ComputeBand = Band & { transfer?: TransferNote };

/** The prediction per epoch: time, energy of all boards, and how the bounds and range applied. */
export interface RunPrediction {
  epochSeconds: Band;
  /** GPU-board energy per epoch, all boards, J. */
  epochEnergyJ: Band;
  /** Average power per board, W (≤ the board limit). */
  powerW: number;
  /** Dense peak at the precision, TFLOPS per board; undefined when no data sheet gives it. */
  peakTflops?: number;
  /** The physical lower bound of the epoch time, s; undefined without a peak. */
  minEpochSeconds?: number;
  /** True when an estimate fell below the bound and was raised to it. */
  clamped: boolean;
  /** Which model gave the epoch time. */
  timeModel: 'measured' | 'PRE epoch-time regressor' | 'compute-share model';
  /** Present when the compute-share model's time was moved from its reference GPU. */
  transfer?: TransferNote;
  validity: ValidityCheck;
}

/** Seconds for `gflops` × `images` of training arithmetic (3 × forward) at `tflops` over `gpus` boards at `share` of peak. */
export function computeSeconds(gflops: number, images: number, gpus: number, tflops: number, share = 1): number {
  return (3 * gflops * images) / (gpus * tflops * 1000 * share);
}

/** Features of the compute-share model: log forward GFLOPs and, when known, log activations (M) per GFLOP. */
export function shareFeatures(fwdGflops: number, mactsM?: number): number[] {
  return mactsM !== undefined && mactsM > 0
    ? [Math.log(fwdGflops), Math.log(mactsM / fwdGflops)]
    : [Math.log(fwdGflops)];
}

function peakOf(run: RunSpec): number | undefined {
  return densePeakTflops(run.gpu.spec ?? { fp32: run.gpu.tflops32 }, run.precision);
}

/** The user's GPU at the run's precision, for the roofline transfer. */
function roofOf(run: RunSpec, peak: number): DeviceRoof {
  return {
    peakTflops: peak,
    bandwidthGBs: run.gpu.spec?.bandwidthGBs,
    bytesPerValue: run.precision === 'amp' || run.precision === 'bf16' ? 2 : 4,
  };
}

/**
 * Epoch time from the compute-share model: the time on the reference GPU (the share of its peak that
 * training reaches there), moved to the user's GPU by the roofline transfer, or by the peak alone when the
 * model carries no transfer. The two bands are independent (one is the network's efficiency, the other the
 * device change), so their log-widths add in quadrature.
 */
function computeBound(model: PreModel, run: RunSpec, peak: number | undefined): ComputeBand | undefined {
  const c = model.computeShare;
  if (!c || peak === undefined) return undefined;
  const fit = run.mactsM !== undefined && run.mactsM > 0 ? c.withActs : c.gflopsOnly;
  const x = shareFeatures(run.fwdGflops, run.mactsM);
  const base = x.reduce((s, f, j) => s + fit.coef[j + 1]! * f, fit.coef[0]!);
  const share = (lg: number): number => Math.min(1, Math.exp(base + lg));
  const ref = c.reference;
  const t = (lg: number): number =>
    computeSeconds(run.fwdGflops, run.imagesPerEpoch, run.gpus, ref.peakTflops, share(lg));
  const onRef = { value: t(0), low: t(fit.p95), high: t(fit.p05) };
  const byPeak = ref.peakTflops / peak;
  const tr = c.transfer
    ? transferTime(c.transfer, ref, roofOf(run, peak), run.fwdGflops, run.mactsM)
    : { value: byPeak, low: byPeak, high: byPeak, computeFraction: 1 };
  const v = onRef.value * tr.value;
  const lw = Math.hypot(Math.log(onRef.value / onRef.low), Math.log(tr.value / tr.low));
  const hw = Math.hypot(Math.log(onRef.high / onRef.value), Math.log(tr.high / tr.value));
  return {
    value: v,
    low: v * Math.exp(-lw),
    high: v * Math.exp(hw),
    transfer: { from: ref.name, factor: tr.value, computeFraction: tr.computeFraction },
  };
}

function regressorTime(model: PreModel, run: RunSpec): Band {
  const perGpu = { gflops: run.fitGflops, imagesPerEpoch: run.imagesPerEpoch / run.gpus, gpu: run.gpu };
  const t = predictEpochSeconds(model, perGpu);
  const seen = run.architecture !== undefined && run.architecture in model.fitGflops;
  const band = seen && model.timeBandSeen ? model.timeBandSeen : model.timeBand;
  return { value: t, low: t * Math.exp(band.p05), high: t * Math.exp(band.p95) };
}

/**
 * FP32/TF32 epoch time: the PRE regressor. Where it claims more than the dense peak allows (far outside
 * its fitting range, on large models), the compute-share model replaces it: a compute-bound run at the
 * share that timm's benchmark shows for such a model. That model was calibrated at mixed precision, so
 * its band is widened by the precision step here.
 */
function fp32Time(
  model: PreModel,
  run: RunSpec,
  peak: number | undefined,
  minT: number | undefined,
): ComputeBand & { share: boolean } {
  const r = regressorTime(model, run);
  const c = computeBound(model, run, peak);
  if (!c || minT === undefined || r.value >= minT) return { ...r, share: false };
  const w = Math.exp(WIDEN_STEP.precision);
  return { value: c.value, low: c.low / w, high: Math.max(r.high, c.high * w), share: true, transfer: c.transfer };
}

function widen(b: Band, w: number, floor: number): Band {
  const low = Math.max(floor, b.low * Math.exp(-w));
  const value = Math.max(floor, b.value);
  return { value, low: Math.min(low, value), high: Math.max(value, b.high * Math.exp(w)) };
}

/**
 * Whether the run's time comes from the compute-share model (a tensor-core path) rather than the PRE
 * regressor. Mixed precision does: the share model was calibrated at it, the regressor on FP32/TF32 runs
 * only. TF32 does on GPUs whose TF32 tensor peak is above their FP32 peak (A100, H100, L4...): the
 * regressor's fitting GPUs had equal TF32 and FP32 peaks, so it has no evidence of that speed-up, while the
 * share model moved by the roofline transfer (at TF32's peak and 4-byte values) does; it is outside its
 * precision range there, so its band widens.
 */
function tensorCorePath(run: RunSpec): boolean {
  if (run.precision === 'amp' || run.precision === 'bf16') return true;
  const s = run.gpu.spec;
  return run.precision === 'tf32' && s?.tf32 !== undefined && s.tf32 > s.fp32;
}

/**
 * Predicts one epoch. With `measuredEpochSeconds` the time is the user's (no time band) and only the
 * power is predicted; otherwise both are.
 */
export function predictRun(model: PreModel, run: RunSpec, measuredEpochSeconds?: number): RunPrediction {
  const query = {
    gflops: run.fitGflops,
    tflops32: run.gpu.tflops32,
    batch: run.batch,
    imageSize: run.imageSize,
    gpu: run.gpu.name,
    gpuCount: run.gpus,
    precision: run.precision,
  };
  const peak = peakOf(run);
  // With a measured epoch time only the power model is used, so its range is the one that matters.
  const useCompute =
    measuredEpochSeconds === undefined && tensorCorePath(run) && model.computeShare !== undefined && peak !== undefined;
  const validity = useCompute
    ? checkValidity(model.computeShare!.validity, { ...query, gflops: run.fwdGflops })
    : checkValidity(model.validity, query);
  const minT = peak === undefined ? undefined : computeSeconds(run.fwdGflops, run.imagesPerEpoch, run.gpus, peak);
  let time: Band;
  let clamped = false;
  let timeModel: RunPrediction['timeModel'] = 'measured';
  let transfer: TransferNote | undefined;
  if (measuredEpochSeconds !== undefined) {
    time = { value: measuredEpochSeconds, low: measuredEpochSeconds, high: measuredEpochSeconds };
  } else {
    const fp = useCompute ? undefined : fp32Time(model, run, peak, minT);
    const combined = fp ?? computeBound(model, run, peak)!;
    timeModel = fp && !fp.share ? 'PRE epoch-time regressor' : 'compute-share model';
    transfer = combined.transfer;
    clamped = minT !== undefined && combined.value < minT;
    time = widen(combined, validity.widenLog, minT ?? 0);
  }
  const perGpuRun = {
    gflops: run.fitGflops,
    imagesPerEpoch: run.imagesPerEpoch / run.gpus,
    epochSeconds: time.value,
    gpu: run.gpu,
  };
  const powerW = predictPrePower(model, perGpuRun);
  const limit = run.gpu.maxPowerW;
  const pw = useCompute ? checkValidity(model.validity, query).widenLog : validity.widenLog;
  const pLow = powerW * Math.exp(model.powerBand.p05 - pw);
  const pHigh = Math.min(limit, powerW * Math.exp(model.powerBand.p95 + pw));
  const n = run.gpus;
  const e = n * powerW * time.value;
  // The power model depends on the epoch time (through the share of peak compute the run achieves): a
  // slower epoch keeps the GPU less busy and draws less power. So the time band is carried through the
  // power model (energy at the band's short and long ends, each with the power it implies) rather than
  // treated as independent of it; only the power model's own residual band is added in quadrature.
  const energyAt = (t: number): number => n * predictPrePower(model, { ...perGpuRun, epochSeconds: t }) * t;
  const lw = Math.hypot(Math.max(0, Math.log(e / energyAt(time.low))), Math.log(powerW / pLow));
  const hw = Math.hypot(Math.max(0, Math.log(energyAt(time.high) / e)), Math.log(Math.max(pHigh, powerW) / powerW));
  const eHigh = Math.min(e * Math.exp(hw), n * limit * time.high);
  return {
    epochSeconds: time,
    epochEnergyJ: { value: e, low: Math.min(e, e * Math.exp(-lw)), high: Math.max(e, eHigh) },
    powerW,
    peakTflops: peak,
    minEpochSeconds: minT,
    clamped,
    timeModel,
    ...(transfer ? { transfer } : {}),
    validity,
  };
}

/** Share of the dense peak a run at `epochSeconds` achieves (3 × forward FLOPs); > 1 is impossible. */
export function shareOfPeak(run: RunSpec, epochSeconds: number, peak: number): number {
  return computeSeconds(run.fwdGflops, run.imagesPerEpoch, run.gpus, peak) / epochSeconds;
}
