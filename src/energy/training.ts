/**
 * Training-energy baselines and the online STEP projection (del Rey et al.). The offline PRE regressor
 * lives in training-pre.ts. All energies are in joules.
 */
import { makeEstimate, requireFinite, EnergyInputError, type Estimate } from './quantity';
import { SOURCES } from './sources';

/** Watts per GB of RAM in Green Algorithms (Lannelongue et al.). */
export const GA_WATTS_PER_GB_RAM = 0.3725;

/** Inputs of the Green Algorithms baseline. */
export interface GreenAlgorithmsInput {
  /** Board power of the GPU (or CPU package), W. */
  tdpW: number;
  /** Average utilisation, 0..1; Green Algorithms' default for a GPU is 1 when unknown. */
  utilization: number;
  /** Memory available to the job, GB (0 to leave RAM out). */
  ramGB: number;
  durationS: number;
}

/**
 * Green Algorithms: E = (TDP × utilisation + RAM_GB × 0.3725 W) × time. Band: utilisation is the
 * uncertain factor, so the band spans half to full TDP share (the study found power tracks utilisation
 * loosely).
 */
export function greenAlgorithmsEnergy(i: GreenAlgorithmsInput): Estimate {
  const tdp = requireFinite(i.tdpW, 'TDP (W)', 0, 5000);
  const u = requireFinite(i.utilization, 'utilisation', 0, 1);
  const ram = requireFinite(i.ramGB, 'RAM (GB)', 0, 1e5);
  const t = requireFinite(i.durationS, 'duration (s)', 0, 1e10);
  const ramW = ram * GA_WATTS_PER_GB_RAM;
  return makeEstimate((tdp * u + ramW) * t, 'J', {
    low: (tdp * u * 0.5 + ramW) * t,
    high: (tdp + ramW) * t,
    method: 'Green Algorithms (TDP × utilisation + RAM × 0.3725 W/GB) × time',
    sources: [SOURCES.greenAlgorithms],
  });
}

/** ML CO2 Impact: E = TDP × time, an upper bound that assumes the device always draws its TDP. */
export function mlco2ImpactEnergy(tdpW: number, durationS: number): Estimate {
  const tdp = requireFinite(tdpW, 'TDP (W)', 0, 5000);
  const t = requireFinite(durationS, 'duration (s)', 0, 1e10);
  return makeEstimate(tdp * t, 'J', {
    low: tdp * t * 0.3,
    high: tdp * t,
    method: 'ML CO2 Impact TDP × time',
    sources: [SOURCES.mlco2Calculator],
  });
}

/** One observed epoch: its energy (GPU + RAM, J) and duration (s). */
export interface ObservedEpoch {
  energyJ: number;
  durationS: number;
}

/** Options of the STEP projection; defaults are the study's (stabilization at epoch 10, window 5). */
export interface StepOptions {
  stableEpoch?: number;
  window?: number;
}

function stepWindow(
  epochs: readonly ObservedEpoch[],
  opts: StepOptions,
): { start: number; win: ObservedEpoch[]; notes: string[] } {
  const w = Math.max(1, Math.round(opts.window ?? 5));
  let start = Math.max(0, Math.round(opts.stableEpoch ?? 10));
  const notes: string[] = [];
  if (epochs.length < start + w) {
    // Too few epochs for the study's setting: use the last W observed ones, which is what stabilization
    // aims at (>90 % of runs are stable by epoch 4), and say so.
    start = Math.max(0, epochs.length - w);
    notes.push(
      `Only ${epochs.length} epochs observed: the window starts at epoch ${start + 1} instead of after epoch ${opts.stableEpoch ?? 10}.`,
    );
  }
  return { start, win: epochs.slice(start, start + w), notes };
}

function checkEpochs(epochs: readonly ObservedEpoch[], totalEpochs: number): void {
  if (epochs.length === 0) throw new EnergyInputError('STEP needs at least one observed epoch.');
  requireFinite(totalEpochs, 'total epochs', 1, 1e7);
  epochs.forEach((e, i) => {
    requireFinite(e.energyJ, `energy of epoch ${i + 1} (J)`, 0);
    requireFinite(e.durationS, `duration of epoch ${i + 1} (s)`, 0);
  });
}

/**
 * STEP, epoch-energy based: energy of the epochs up to the window start, plus the window's mean epoch
 * energy × the remaining epochs. The band is the window's min and max epoch energy × remaining epochs.
 */
export function stepEpochEnergy(
  epochs: readonly ObservedEpoch[],
  totalEpochs: number,
  opts: StepOptions = {},
): Estimate {
  checkEpochs(epochs, totalEpochs);
  const { start, win, notes } = stepWindow(epochs, opts);
  const before = epochs.slice(0, start).reduce((s, e) => s + e.energyJ, 0);
  const per = win.map((e) => e.energyJ);
  const mean = per.reduce((s, v) => s + v, 0) / per.length;
  const remaining = Math.max(0, totalEpochs - start);
  return makeEstimate(before + mean * remaining, 'J', {
    low: before + Math.min(...per) * remaining,
    high: before + Math.max(...per) * remaining,
    method: `STEP epoch-energy projection (window of ${per.length} epochs)`,
    sources: [SOURCES.delRey],
    notes,
  });
}

/**
 * STEP, power based: mean power over the window × projected total duration (observed time + the window's
 * mean epoch time × the epochs still to run).
 */
export function stepPowerEnergy(
  epochs: readonly ObservedEpoch[],
  totalEpochs: number,
  opts: StepOptions = {},
): Estimate {
  checkEpochs(epochs, totalEpochs);
  const { win, notes } = stepWindow(epochs, opts);
  const winTime = win.reduce((s, e) => s + e.durationS, 0);
  if (winTime <= 0) throw new EnergyInputError('STEP needs epochs with a positive duration.');
  const power = win.reduce((s, e) => s + e.energyJ, 0) / winTime;
  const observed = epochs.reduce((s, e) => s + e.durationS, 0);
  const remainingEpochs = Math.max(0, totalEpochs - epochs.length);
  const totalTime = observed + (winTime / win.length) * remainingEpochs;
  const powers = win.map((e) => (e.durationS > 0 ? e.energyJ / e.durationS : power));
  return makeEstimate(power * totalTime, 'J', {
    low: Math.min(...powers) * totalTime,
    high: Math.max(...powers) * totalTime,
    method: `STEP power projection (window of ${win.length} epochs)`,
    sources: [SOURCES.delRey],
    notes,
  });
}
