/**
 * How many intra-op threads every variant of a run uses. onnxruntime's default is one thread per
 * physical core; when other processes keep some cores busy, a parallel kernel waits for its slowest
 * thread at every step, and latencies become bimodal and drift with the other load. Pinning all variants
 * to the cores that are free when the run starts (judged by a sample of the CPU time counters just
 * before, see cpuTimes.ts) keeps them comparable and their timings stable.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { busyCpus, sampleBusyCpus } from './cpuTimes';

// The sample that decides the threads also decides the warning before a busy run, wherever a run starts.
export { busyCpus };

/** The profile option: a fixed count, `auto` (free cores, the default) or onnxruntime's own default. */
export type ThreadSetting = number | 'auto' | 'default';

/** The resolved choice: a count to pin (absent: onnxruntime's default) and why, for the result. */
export interface ThreadChoice {
  threads?: number;
  reason: string;
  /** Busy CPUs measured before the run, when they were. */
  busy?: number;
}

/** Physical cores from /proc/cpuinfo (unique physical id + core id pairs), or undefined off Linux. */
export function physicalCores(cpuinfo?: string): number | undefined {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return undefined;
    }
  }
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const phys = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (phys !== undefined && core !== undefined) cores.add(`${phys}:${core}`);
  }
  return cores.size > 0 ? cores.size : undefined;
}

/** Why `auto` chose what it did on an idle machine, or on one whose load could not be read. */
function idleReason(busy: number | undefined, logical: number): string {
  return busy === undefined
    ? "the machine's load could not be read"
    : `the machine was idle: ${busy.toFixed(1)} of ${logical} CPUs busy`;
}

/**
 * Resolves a thread setting. `auto` pins the physical cores when the machine is idle (what onnxruntime
 * would use anyway, now fixed for every variant) and the free cores, at least one, when it is not. A load
 * that could not be read counts as idle, as onnxruntime itself would assume.
 */
export function chooseThreads(
  setting: ThreadSetting,
  busy: number | undefined,
  logical: number,
  physical: number | undefined,
): ThreadChoice {
  if (setting === 'default') return { reason: "onnxruntime's default thread count" };
  if (typeof setting === 'number')
    return { threads: setting, reason: `${setting} intra-op thread${setting === 1 ? '' : 's'}, as set` };
  const free = Math.max(1, Math.round(logical - (busy ?? 0)));
  const cap = physical ?? logical;
  if (free >= cap) {
    // Off Linux the physical count is unknown; keeping onnxruntime's default avoids pinning to SMT siblings.
    if (physical === undefined) return { reason: `onnxruntime's default thread count (${idleReason(busy, logical)})` };
    return {
      threads: physical,
      reason: `${physical} intra-op thread${physical === 1 ? '' : 's'}, one per physical core (${idleReason(busy, logical)})`,
    };
  }
  return {
    threads: free,
    reason: `${free} intra-op thread${free === 1 ? '' : 's'} for every variant: other processes kept ${(busy ?? 0).toFixed(1)} of ${logical} CPUs busy just before the run started, and more threads than free cores make timings drift`,
  };
}

/** Samples the load (also for the warning before a busy run) and resolves `setting` for this machine. */
export async function resolveThreads(setting: ThreadSetting = 'auto'): Promise<ThreadChoice> {
  const sample = await sampleBusyCpus();
  // The sample counts the CPUs itself; os.cpus() is only asked where it could not.
  const logical = sample?.cpus ?? cpus().length;
  const choice = chooseThreads(setting, sample?.busy, logical, physicalCores());
  return sample ? { ...choice, busy: sample.busy } : choice;
}
