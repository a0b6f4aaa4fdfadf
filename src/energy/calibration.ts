/**
 * Calibration of energy per inference against compute, from timm's measured throughput tables.
 *
 * Energy per image on a device running flat out is board power / throughput (J = W / (images/s)). The
 * benchmarks saturate the device (GPUs at batch 1024, the CPU on all cores), so board power ≈ TDP is the
 * natural assumption; it overstates energy a little when the device throttles below TDP and understates
 * it on laptops whose short-term power limit exceeds TDP. log(J per image) is then regressed on
 * log(GMACs) and log(activations): energy follows compute, and memory traffic (activations) explains much
 * of the rest (Yang et al. report both correlations). The residuals of that fit give the band.
 */
import { fitRidge, predictLinear, quantile, type LinearModel } from './linalg';
import { csvNumber, parseCsvRecords } from './csv';

/** One benchmark row: a model at one image size on one device. */
export interface CalibrationRow {
  model: string;
  imgSize: number;
  samplesPerSec: number;
  gmacs: number;
  /** Activations, millions. */
  mactsM: number;
}

/**
 * The rows of one of timm's inference benchmark tables with throughput, GMACs and activations all known.
 * Test networks (`test_*`) are left out: they are not real architectures.
 */
export function timmInferenceRows(csv: string): CalibrationRow[] {
  return parseCsvRecords(csv)
    .filter((r) => !(r.model ?? '').startsWith('test_'))
    .map((r) => ({
      model: r.model ?? '',
      imgSize: csvNumber(r.infer_img_size) ?? 0,
      samplesPerSec: csvNumber(r.infer_samples_per_sec) ?? 0,
      gmacs: csvNumber(r.infer_gmacs) ?? 0,
      mactsM: csvNumber(r.infer_macts) ?? 0,
    }))
    .filter((r) => r.samplesPerSec > 0 && r.gmacs > 0 && r.mactsM > 0);
}

/** A fitted device calibration, stored in src/energy/data/inference-calibration.json. */
export interface DeviceCalibration {
  /** Rows the fit used. */
  n: number;
  /** log(J per image) from [log GMACs, log MActs]. */
  withActivations: LinearModel;
  /** log(J per image) from [log GMACs] alone, for models whose activations are unknown. */
  macsOnly: LinearModel;
  /** Median of J / MAC over the rows: the simple device efficiency, for documentation and sanity checks. */
  jPerMacMedian: number;
  /** 5th and 95th percentiles of the log residuals (actual − fitted) of each model. */
  residualsWithActivations: { p05: number; p95: number };
  residualsMacsOnly: { p05: number; p95: number };
}

const RIDGE_LAMBDA = 1e-6; // Only guards against a singular system; the fit is effectively least squares.

function residualBand(model: LinearModel, xs: number[][], ys: number[]): { p05: number; p95: number } {
  const res = xs.map((x, i) => ys[i]! - predictLinear(model, x));
  return { p05: quantile(res, 0.05), p95: quantile(res, 0.95) };
}

/** Fits the calibration of one device from its benchmark rows and its board power in watts. */
export function fitInferenceCalibration(rows: readonly CalibrationRow[], boardPowerW: number): DeviceCalibration {
  const ys = rows.map((r) => Math.log(boardPowerW / r.samplesPerSec));
  const x2 = rows.map((r) => [Math.log(r.gmacs), Math.log(r.mactsM)]);
  const x1 = rows.map((r) => [Math.log(r.gmacs)]);
  const withActivations = fitRidge(x2, ys, RIDGE_LAMBDA);
  const macsOnly = fitRidge(x1, ys, RIDGE_LAMBDA);
  const jPerMac = rows.map((r) => boardPowerW / r.samplesPerSec / (r.gmacs * 1e9));
  return {
    n: rows.length,
    withActivations,
    macsOnly,
    jPerMacMedian: quantile(jPerMac, 0.5),
    residualsWithActivations: residualBand(withActivations, x2, ys),
    residualsMacsOnly: residualBand(macsOnly, x1, ys),
  };
}

/** Joules per image predicted by a calibration, with its 90 % residual band. */
export function predictJoulesPerImage(
  cal: DeviceCalibration,
  gmacs: number,
  mactsM?: number,
): { value: number; low: number; high: number } {
  const useActs = mactsM !== undefined && mactsM > 0;
  const model = useActs ? cal.withActivations : cal.macsOnly;
  const band = useActs ? cal.residualsWithActivations : cal.residualsMacsOnly;
  const logE = predictLinear(model, useActs ? [Math.log(gmacs), Math.log(mactsM)] : [Math.log(gmacs)]);
  return { value: Math.exp(logE), low: Math.exp(logE + band.p05), high: Math.exp(logE + band.p95) };
}
