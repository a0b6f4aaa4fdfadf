/**
 * The deployment target: the hardware and batch size a model serves on in production. Yearly energy,
 * CO2e, cost and break-even are figures about production, so they use the target; by default it is the
 * machine that measured (or estimated) the energy per inference.
 *
 * Scaling method when the target differs: energy per inference × (the target's calibrated energy for a
 * model of these MACs and activations ÷ the measuring device's calibrated energy for the same model).
 * Both calibrations are fitted on timm's measured throughput (src/energy/calibration.ts), so the ratio
 * carries what differs between the devices (efficiency per MAC, batch and precision of the benchmark),
 * not the model. The band widens by the target calibration's residual band, and further when the
 * target batch is not the benchmark's.
 */
import { calibratedDevices, energyFromMacs } from './inference';
import { predictJoulesPerImage } from './calibration';
import type { Device } from './hardware';
import { makeEstimate, type Estimate } from './quantity';
import { SOURCES } from './sources';
import type { Settings } from '../settings';

/** `local` (the measuring machine) or one of the calibrated benchmark devices; the list is the setting's. */
export type DeploymentTargetId = Settings['deploymentTarget'];

/** Benchmark batch of each calibrated device (timm's benchmark setup). */
const BENCH_BATCH: Readonly<Record<Exclude<DeploymentTargetId, 'local'>, number>> = {
  rtx3090: 1024,
  rtx4090: 1024,
  'i7-12700h': 1,
};

/** Extra log-width of the band when the target batch differs from the benchmark's. */
export const BATCH_MISMATCH_WIDEN = Math.log(2);

/** The resolved target, as reports and tooltips state it. */
export interface DeploymentTarget {
  id: DeploymentTargetId;
  /** Human-readable device, e.g. "RTX 4090 (AMP, batch 1024, PyTorch 2.9)". */
  name: string;
  batch: number;
  /** True when the target is the measuring machine (no scaling). */
  local: boolean;
  /** How yearly figures get from the measuring machine to the target. */
  method: string;
}

/** Resolves the settings' target and batch into a stated target. */
export function deploymentTarget(id: DeploymentTargetId, batch: number): DeploymentTarget {
  if (id === 'local') {
    return {
      id,
      name: 'this machine (the one that measured; default)',
      batch,
      local: true,
      method: 'no scaling: yearly figures use the energy per inference measured or estimated here',
    };
  }
  const cal = calibratedDevices().find((c) => c.id === id)!;
  return {
    id,
    name: `${cal.name} (${cal.setup})`,
    batch,
    local: false,
    method: `energy per inference × (${cal.name} calibrated energy ÷ this machine's calibrated energy) for the model's MACs, from timm's measured throughput`,
  };
}

/** What the scaling needs to know about the model. */
export interface TargetModel {
  gmacs?: number;
  mactsM?: number;
}

/**
 * Energy per inference on the deployment target. Unchanged for a local target; otherwise scaled by the
 * stated method with a widened band, or left unscaled with a note when the model's MACs are unknown.
 */
export function toTarget(
  perInference: Estimate,
  model: TargetModel,
  local: Device,
  target: DeploymentTarget,
): Estimate {
  if (target.local) return perInference;
  if (!model.gmacs || !(model.gmacs > 0)) {
    return {
      ...perInference,
      notes: [
        ...perInference.notes,
        `Not scaled to the deployment target ${target.name}: the model's MACs are unknown, so this is the figure of the measuring machine.`,
      ],
    };
  }
  const cal = calibratedDevices().find((c) => c.id === target.id)!;
  const acts = model.mactsM && model.mactsM > 0 ? model.mactsM : undefined;
  const onTarget = predictJoulesPerImage(cal, model.gmacs, acts);
  const here = energyFromMacs({ gmacs: model.gmacs, mactsM: acts, device: local });
  const factor = onTarget.value / here.value;
  const res = acts ? cal.residualsWithActivations : cal.residualsMacsOnly;
  const bench = BENCH_BATCH[target.id as Exclude<DeploymentTargetId, 'local'>];
  const batchWiden = target.batch === bench ? 0 : BATCH_MISMATCH_WIDEN;
  const notes = [
    `Scaled to the deployment target ${target.name}, batch ${target.batch}: ${target.method} (factor ${factor.toPrecision(3)}).`,
  ];
  if (batchWiden)
    notes.push(`The target batch ${target.batch} is not the benchmark's ${bench}: the band is widened ×2 each way.`);
  return makeEstimate(perInference.value * factor, 'J', {
    low: perInference.low * factor * Math.exp(res.p05 - batchWiden),
    high: perInference.high * factor * Math.exp(res.p95 + batchWiden),
    provenance: 'estimated',
    method: `${perInference.method}, scaled to ${cal.name}`,
    sources: [...perInference.sources, SOURCES.timmResults],
    notes: [...perInference.notes, ...notes],
  });
}
