/**
 * Energy per inference: from a meter (measured), from measured latency and CPU time with the device's
 * power share, or from MACs with a device efficiency calibrated on timm's throughput tables.
 */
import calibrationData from './data/inference-calibration.json';
import { predictJoulesPerImage, type DeviceCalibration } from './calibration';
import type { Device } from './hardware';
import { makeEstimate, requireFinite, type Estimate } from './quantity';
import { SOURCES } from './sources';

interface CalibratedDevice extends DeviceCalibration {
  id: string;
  name: string;
  kind: 'cpu' | 'gpu';
  boardPowerW: number;
  setup: string;
}
const CALIBRATIONS = (calibrationData as { devices: CalibratedDevice[] }).devices;

/** The calibrated reference devices (RTX 3090, RTX 4090, i7-12700H). */
export function calibratedDevices(): readonly CalibratedDevice[] {
  return CALIBRATIONS;
}

/** Energy from an average power measured over a duration (RAPL, NVML): E = P × t. */
export function energyFromPower(avgPowerW: number, seconds: number, meter: string): Estimate {
  const p = requireFinite(avgPowerW, 'average power (W)', 0, 1e5);
  const t = requireFinite(seconds, 'duration (s)', 0, 1e9);
  return makeEstimate(p * t, 'J', { provenance: 'measured', method: `${meter} power × time` });
}

/**
 * Estimator (a): E = TDP × CPU time / cores. A CPU package under full load on all its cores draws about
 * its TDP; a process that used `cpuTimeS` of CPU during `latencyS` occupied cpuTime / (latency × cores)
 * of the package, so its share of package power is TDP × that fraction and its energy that share ×
 * latency. This attributes idle and uncore power to whoever runs, and ignores turbo above TDP, so the
 * band runs from the low to the high end of the TDP band.
 */
export function energyFromCpuTime(input: { latencyS: number; cpuTimeS: number; device: Device }): Estimate {
  const latency = requireFinite(input.latencyS, 'latency (s)', 0, 1e6);
  const cpu = requireFinite(input.cpuTimeS, 'CPU time (s)', 0, 1e9);
  const cores = input.device.cores ?? 1;
  const notes = [...input.device.tdp.notes];
  let share = latency > 0 ? cpu / (latency * cores) : 0;
  if (share > 1) {
    notes.push(`CPU time ${cpu} s exceeds latency × cores (${latency} s × ${cores}); the share is capped at 100 %.`);
    share = 1;
  }
  const f = share * latency;
  return makeEstimate(input.device.tdp.value * f, 'J', {
    low: input.device.tdp.low * f,
    high: input.device.tdp.high * f,
    method: 'TDP × CPU-time share',
    sources: input.device.tdp.sources,
    notes,
  });
}

function calibrationFor(device: Device): { cal: CalibratedDevice; factor: number; widen: number; note?: string } {
  const exact = CALIBRATIONS.find((c) => c.name === device.matchedName);
  if (exact) return { cal: exact, factor: 1, widen: 1 };
  if (device.kind === 'gpu') {
    const ref = CALIBRATIONS.find((c) => c.id === 'rtx3090')!;
    // Transfer by watts per peak FLOP: a GPU with more TFLOPS per watt does the same work for less energy.
    const refWPerTflop = 350 / 35.58;
    const factor = device.tflops32
      ? device.tdp.value / device.tflops32 / refWPerTflop
      : device.tdp.value / ref.boardPowerW;
    return {
      cal: ref,
      factor,
      widen: 2,
      note: `No throughput calibration for ${device.name}: the RTX 3090 calibration is scaled by ${device.tflops32 ? 'watts per peak TFLOPS' : 'TDP'} (×${factor.toFixed(2)}).`,
    };
  }
  const ref = CALIBRATIONS.find((c) => c.id === 'i7-12700h')!;
  return {
    cal: ref,
    factor: 1,
    widen: 1.5,
    note: `No throughput calibration for ${device.name}: the Intel Core i7-12700H calibration is used as is, with a wider band.`,
  };
}

/**
 * Estimator (b): energy per image from GMACs (and activations, millions, when known) through the
 * device calibration; band = the calibration's 90 % residual range (widened when transferred to another
 * device). GPU calibrations are at batch 1024 with AMP: batch-1 GPU inference costs more per image.
 */
export function energyFromMacs(input: { gmacs: number; mactsM?: number; device: Device }): Estimate {
  const gmacs = requireFinite(input.gmacs, 'GMACs per inference', 1e-6, 1e5);
  const acts =
    input.mactsM !== undefined && Number.isFinite(input.mactsM) && input.mactsM > 0 ? input.mactsM : undefined;
  const { cal, factor, widen, note } = calibrationFor(input.device);
  const p = predictJoulesPerImage(cal, gmacs, acts);
  const notes = [`Calibrated on ${cal.n} timm models on ${cal.name} (${cal.setup}), board power ${cal.boardPowerW} W.`];
  if (note) notes.push(note);
  if (!acts) notes.push('Activations unknown: the MACs-only calibration (wider band) is used.');
  return makeEstimate(p.value * factor, 'J', {
    low: (p.low * factor) / widen,
    high: p.high * factor * widen,
    method: `MACs × ${cal.name} calibration`,
    sources: [SOURCES.timmResults, cal.kind === 'cpu' ? SOURCES.codecarbonCpu : SOURCES.mlco2Gpus],
    notes,
  });
}
