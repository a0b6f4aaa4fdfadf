/**
 * Picks the energy meter for a measurement: RAPL counters for CPU runs, nvidia-smi for GPU runs, and
 * otherwise the CPU-time estimator of src/energy. Every reading names the meter it came from.
 */
import { cpus } from 'node:os';
import { energyFromCpuTime } from '../../energy/inference';
import { cpuDevice } from '../../energy/hardware';
import { makeEstimate } from '../../energy/quantity';
import type { EnergyReading } from '../types';
import { discoverRapl, POWERCAP_ROOT, RaplMeter } from './rapl';
import { NvidiaSmiMeter } from './nvidia';

export { discoverRapl, counterDeltaUj, readRapl, RaplMeter, POWERCAP_ROOT, type RaplDomain, type RaplDiscovery } from './rapl';
export { NvidiaSmiMeter, integratePower, parsePowerLines, type PowerSample } from './nvidia';

/** Something that measures joules between begin() and end(). */
export interface EnergyMeter {
  readonly name: string;
  begin(): void;
  end(): number;
}

/** The meter to use, or none with the reason. */
export interface MeterChoice {
  meter?: EnergyMeter;
  note?: string;
}

/** Chooses a meter for a run on `device` ('cpu' or 'cuda'); `raplRoot` points at a fake tree in tests. */
export function chooseMeter(opts: { device?: 'cpu' | 'cuda'; raplRoot?: string; nvidiaSmi?: string } = {}): MeterChoice {
  if (opts.device === 'cuda') return { meter: new NvidiaSmiMeter(opts.nvidiaSmi) };
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

/** Energy per sample estimated from latency and CPU time (TDP × CPU-time share) for this machine's CPU. */
export function estimatedReading(latencyS: number, cpuTimeS: number, note?: string): EnergyReading {
  const cpuList = cpus();
  const device = cpuDevice(cpuList[0]?.model ?? 'unknown CPU', cpuList.length);
  return { perInference: energyFromCpuTime({ latencyS, cpuTimeS, device }), meter: 'estimate:cpu-time', ...(note ? { meterNote: note } : {}) };
}
