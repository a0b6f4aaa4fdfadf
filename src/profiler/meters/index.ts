/**
 * Picks the energy meter for a measurement: RAPL counters for CPU runs, NVML's energy counter (or
 * nvidia-smi power sampling) for GPU runs, and otherwise the CPU-time estimator of src/energy. Every
 * reading names the meter it came from.
 */
import { cpus } from 'node:os';
import { energyFromCpuTime } from '../../energy/inference';
import { cpuDevice } from '../../energy/hardware';
import { makeEstimate } from '../../energy/quantity';
import type { EnergyReading } from '../types';
import { discoverRapl, POWERCAP_ROOT, RaplMeter } from './rapl';
import { NvidiaSmiMeter } from './nvidia';
import { NvmlEnergyMeter, readEnergyCounters, type SmiExec } from './nvml';

export {
  discoverRapl,
  counterDeltaUj,
  readRapl,
  RaplMeter,
  POWERCAP_ROOT,
  type RaplDomain,
  type RaplDiscovery,
} from './rapl';
export { NvidiaSmiMeter, integratePower, parsePowerLines, type PowerSample } from './nvidia';
export {
  ENERGY_FIELD,
  NvmlEnergyMeter,
  energyDeltaJ,
  parseEnergyCounters,
  readEnergyCounters,
  type CounterReading,
  type SmiExec,
} from './nvml';

/** Something that measures joules between begin() and end(). */
export interface EnergyMeter {
  readonly name: string;
  begin(): void;
  end(): number;
  /** Set by end() when the figure carries a caveat (e.g. a loop short against the counter's update period). */
  readonly note?: string;
}

/** The meter to use, or none with the reason. */
export interface MeterChoice {
  meter?: EnergyMeter;
  note?: string;
}

/**
 * Chooses a meter for a run on `device` ('cpu' or 'cuda'); `raplRoot` points at a fake tree and
 * `nvidiaSmi` / `exec` at a fake nvidia-smi in tests. On GPUs NVML's energy counter is preferred: a
 * counter difference has no sampling error; power integration is the fallback where the counter is missing.
 */
export function chooseMeter(
  opts: { device?: 'cpu' | 'cuda'; raplRoot?: string; nvidiaSmi?: string; exec?: SmiExec } = {},
): MeterChoice {
  if (opts.device === 'cuda') {
    const probe = readEnergyCounters(opts.nvidiaSmi, opts.exec);
    if (probe.ok) return { meter: new NvmlEnergyMeter(opts.nvidiaSmi, opts.exec) };
    return {
      meter: new NvidiaSmiMeter(opts.nvidiaSmi),
      note: `NVML energy counter not used: ${probe.reason}; power.draw is sampled every 100 ms and integrated instead`,
    };
  }
  const rapl = discoverRapl(opts.raplRoot ?? POWERCAP_ROOT);
  if (rapl.ok) return { meter: new RaplMeter(rapl.domains) };
  return { note: rapl.reason };
}

/** Energy per sample from a metered total over `samples` samples. */
export function measuredReading(joules: number, samples: number, meter: string, note?: string): EnergyReading {
  const perInference = makeEstimate(joules / Math.max(samples, 1), 'J', {
    provenance: 'measured',
    method: `${meter} counters over the measured loop`,
    notes: ['The counters cover the whole package or GPU, so other work on the machine during the run is included.'],
  });
  return { perInference, meter, ...(note ? { meterNote: note } : {}) };
}

/**
 * Energy per sample estimated from latency and CPU time (TDP × CPU-time share) for this machine's CPU.
 * Both must be means over the same loop: a median latency with a mean CPU time overstates the share.
 */
export function estimatedReading(latencyS: number, cpuTimeS: number, note?: string): EnergyReading {
  const cpuList = cpus();
  const device = cpuDevice(cpuList[0]?.model ?? 'unknown CPU', cpuList.length);
  return {
    perInference: energyFromCpuTime({ latencyS, cpuTimeS, device }),
    meter: 'estimate:cpu-time',
    ...(note ? { meterNote: note } : {}),
  };
}
