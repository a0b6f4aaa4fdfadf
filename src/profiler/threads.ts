/**
 * How many intra-op threads every variant of a run uses. onnxruntime's default is one thread per
 * physical core; when other processes keep some cores busy, a parallel kernel waits for its slowest
 * thread at every step, and latencies become bimodal and drift with the other load. Pinning all variants
 * to the cores that are free when the run starts (judged by the load now and over the last minute) keeps
 * them comparable and their timings stable.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { timerDelay } from '../settings';

/** The profile option: a fixed count, `auto` (free cores, the default) or onnxruntime's own default. */
export type ThreadSetting = number | 'auto' | 'default';

/** The resolved choice: a count to pin (absent: onnxruntime's default) and why, for the result. */
export interface ThreadChoice {
  threads?: number;
  reason: string;
  /** Busy CPUs measured before the run, when they were. */
  busy?: number;
}

/** Aggregate CPU counters of /proc/stat: busy and total jiffies. */
export function parseProcStat(text: string): { busy: number; total: number } | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user.
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
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

/**
 * CPUs that other work keeps busy: the larger of the busy share over `ms` now (from /proc/stat) and the
 * 1-minute load average (capped at the CPU count). A profile lasts about a minute, and load on a shared
 * machine comes in bursts: a quiet instant alone would pin threads that the next burst then fights for.
 */
export async function busyCpus(ms = 300): Promise<number> {
  const logical = cpus().length;
  const recent = Math.min(loadavg()[0] ?? 0, logical);
  const read = () => {
    try {
      return parseProcStat(readFileSync('/proc/stat', 'utf8'));
    } catch {
      return undefined;
    }
  };
  const a = read();
  if (!a) return recent;
  await new Promise((r) => setTimeout(r, timerDelay(ms)));
  const b = read();
  if (!b || b.total <= a.total) return recent;
  return Math.max(recent, ((b.busy - a.busy) / (b.total - a.total)) * logical);
}

/**
 * Resolves a thread setting. `auto` pins the physical cores when the machine is idle (what onnxruntime
 * would use anyway, now fixed for every variant) and the free cores, at least one, when it is not.
 */
export function chooseThreads(
  setting: ThreadSetting,
  busy: number,
  logical: number,
  physical: number | undefined,
): ThreadChoice {
  if (setting === 'default') return { reason: "onnxruntime's default thread count" };
  if (typeof setting === 'number')
    return { threads: setting, reason: `${setting} intra-op thread${setting === 1 ? '' : 's'}, as set` };
  const free = Math.max(1, Math.round(logical - busy));
  const cap = physical ?? logical;
  if (free >= cap) {
    // Off Linux the physical count is unknown; keeping onnxruntime's default avoids pinning to SMT siblings.
    if (physical === undefined)
      return {
        reason: `onnxruntime's default thread count (the machine was idle: ${busy.toFixed(1)} of ${logical} CPUs busy)`,
      };
    return {
      threads: physical,
      reason: `${physical} intra-op thread${physical === 1 ? '' : 's'}, one per physical core (the machine was idle: ${busy.toFixed(1)} of ${logical} CPUs busy)`,
    };
  }
  return {
    threads: free,
    reason: `${free} intra-op thread${free === 1 ? '' : 's'} for every variant: other processes kept ${busy.toFixed(1)} of ${logical} CPUs busy when the run started (or over the last minute), and more threads than free cores make timings drift`,
  };
}

/** Measures the load (also for the warning before a busy run) and resolves `setting` for this machine. */
export async function resolveThreads(setting: ThreadSetting = 'auto'): Promise<ThreadChoice> {
  const busy = await busyCpus();
  return { ...chooseThreads(setting, busy, cpus().length, physicalCores()), busy };
}
