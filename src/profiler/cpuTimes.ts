/**
 * How many CPUs the machine keeps busy right now: two readings of its CPU time counters a short window
 * apart. A direct sample follows the load as it is when a run starts; the 1-minute load average lags by
 * about a minute, so it still reports a heavy job that has just ended and misses one that has just begun.
 *
 * On Linux the counters come from /proc/stat, read asynchronously. os.cpus() carries the same counters,
 * but on Linux it also reads every core's current clock from cpufreq, a synchronous read that takes up
 * to about 20 ms per core on some machines and would stall the extension host's event loop; it is used
 * only where /proc/stat is absent (macOS, Windows), where it reads no clocks.
 */
import { readFile } from 'node:fs/promises';
import { cpus, type CpuInfo } from 'node:os';
import { timerDelay } from '../settings';

/** CPU time counters at one instant: busy and total time summed over `cpus` logical CPUs, in any one unit. */
export interface CpuTimes {
  busy: number;
  total: number;
  cpus: number;
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

/** The counters of /proc/stat, the CPUs counted by its per-CPU lines (the CPUs the aggregate line sums). */
export function cpuTimesFromProcStat(text: string): CpuTimes | undefined {
  const agg = parseProcStat(text);
  const count = text.split('\n').filter((l) => /^cpu\d+\s/.test(l)).length;
  return agg && count > 0 ? { ...agg, cpus: count } : undefined;
}

/** The counters of os.cpus(), ms summed over the CPUs; undefined when it lists none or counts nothing. */
export function cpuTimesFromOs(list: readonly CpuInfo[]): CpuTimes | undefined {
  let busy = 0;
  let total = 0;
  for (const { times: t } of list) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return list.length > 0 && total > 0 ? { busy, total, cpus: list.length } : undefined;
}

/**
 * Busy CPUs between two readings: the busy share of the CPU time that passed, times the CPU count.
 * Undefined when no time passed between them or the counters went backwards (a CPU taken offline).
 */
export function busyCpusBetween(a: CpuTimes, b: CpuTimes): number | undefined {
  const total = b.total - a.total;
  const busy = b.busy - a.busy;
  if (total <= 0 || busy < 0 || a.cpus !== b.cpus) return undefined;
  return Math.min(1, busy / total) * b.cpus;
}

/** This machine's counters: /proc/stat where it exists, else os.cpus(); undefined where neither counts. */
export async function readCpuTimes(): Promise<CpuTimes | undefined> {
  try {
    return cpuTimesFromProcStat(await readFile('/proc/stat', 'utf8'));
  } catch {
    // No /proc (macOS, Windows): os.cpus() reads the counters there without touching any clock.
    return process.platform === 'linux' ? undefined : cpuTimesFromOs(cpus());
  }
}

/** How a sample reads the counters and waits; tests pass recorded readings and an instant wait. */
export interface CpuSampler {
  read(): Promise<CpuTimes | undefined>;
  wait(ms: number): Promise<void>;
}

const systemSampler: CpuSampler = {
  read: readCpuTimes,
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, timerDelay(ms))),
};

/** Busy CPUs over a sample window, and the logical CPUs of the machine they are counted against. */
export interface BusySample {
  busy: number;
  cpus: number;
}

/**
 * The CPUs that other work keeps busy, sampled over `ms` now (default 250 ms), or undefined where the
 * counters cannot be read. Nothing blocks the caller: both reads are asynchronous (or cheap, off Linux)
 * and the window is a timer. The sampling process sits idle on that timer, so what it counts is other work.
 */
export async function sampleBusyCpus(ms = 250, sampler: CpuSampler = systemSampler): Promise<BusySample | undefined> {
  const a = await sampler.read();
  if (!a) return undefined;
  await sampler.wait(ms);
  const b = await sampler.read();
  const busy = b ? busyCpusBetween(a, b) : undefined;
  return b && busy !== undefined ? { busy, cpus: b.cpus } : undefined;
}

/** Busy CPUs sampled over `ms` now (see sampleBusyCpus), or undefined where they cannot be read. */
export async function busyCpus(ms = 250, sampler: CpuSampler = systemSampler): Promise<number | undefined> {
  return (await sampleBusyCpus(ms, sampler))?.busy;
}
