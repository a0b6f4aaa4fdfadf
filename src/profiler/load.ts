/**
 * The machine's load and CPU clock while a measurement runs. Foreign load is the machine's busy CPU time
 * (/proc/stat) less this process's own CPU time, per window of wall time; the clock is the mean of the
 * cores' current frequencies (cpufreq, else /proc/cpuinfo). Where nothing is readable (macOS, Windows,
 * containers without /proc) the report is simply absent. The readers are passed in, so tests use fakes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat } from './cpuTimes';
import type { LoadReport } from './types';

/** Foreign load above the start by this many CPUs counts as a rise. */
export const LOAD_RISE_CPUS = 0.5;

/** What the monitor reads; each returns undefined when the figure is not available. */
export interface LoadReaders {
  /** Machine-wide busy and total CPU time, in any one unit (jiffies). */
  procStat(): { busy: number; total: number } | undefined;
  /** This process's CPU time, ms. */
  ownCpuMs(): number;
  /** Mean current clock over the cores, MHz. */
  cpuMhz(): number | undefined;
  /** Logical CPUs. */
  cpus: number;
}

/** Mean of the `cpu MHz` lines of /proc/cpuinfo. */
export function parseCpuinfoMhz(text: string): number | undefined {
  const values = [...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1])).filter((v) => v > 0);
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** Mean current clock of the cores from cpufreq (kHz files), else /proc/cpuinfo, MHz. */
export function readCpuMhz(root = '/sys/devices/system/cpu'): number | undefined {
  try {
    const khz = readdirSync(root)
      .filter((d) => /^cpu\d+$/.test(d))
      .flatMap((d) => {
        try {
          return [Number(readFileSync(`${root}/${d}/cpufreq/scaling_cur_freq`, 'utf8').trim())];
        } catch {
          return [];
        }
      })
      .filter((v) => v > 0);
    if (khz.length > 0) return khz.reduce((a, b) => a + b, 0) / khz.length / 1000;
  } catch {
    // No sysfs: try /proc/cpuinfo.
  }
  try {
    return parseCpuinfoMhz(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Readers of this machine. */
export function systemReaders(cpus: number): LoadReaders {
  return {
    procStat: () => {
      try {
        return parseProcStat(readFileSync('/proc/stat', 'utf8'));
      } catch {
        return undefined;
      }
    },
    ownCpuMs: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    cpuMhz: () => readCpuMhz(),
    cpus,
  };
}

/**
 * Samples foreign load in windows of at least `windowMs` of wall time. `sample(nowMs)` is cheap when the
 * window has not ended (one comparison), so the caller may call it after every round.
 */
export class LoadMonitor {
  private last?: { at: number; stat: { busy: number; total: number }; own: number };
  private readonly foreign: number[] = [];
  private readonly mhz: number[] = [];

  constructor(
    private readonly readers: LoadReaders,
    private readonly windowMs = 250,
  ) {}

  sample(nowMs: number): void {
    if (this.last && nowMs - this.last.at < this.windowMs) return;
    const stat = this.readers.procStat();
    const own = this.readers.ownCpuMs();
    const mhz = this.readers.cpuMhz();
    if (mhz !== undefined) this.mhz.push(mhz);
    if (!stat) return;
    const prev = this.last;
    this.last = { at: nowMs, stat, own };
    if (!prev || stat.total <= prev.stat.total || nowMs <= prev.at) return;
    // Busy CPUs over the window from the jiffy counters, less the CPUs this process kept busy itself.
    const busyCpus = ((stat.busy - prev.stat.busy) / (stat.total - prev.stat.total)) * this.readers.cpus;
    const ownCpus = (own - prev.own) / (nowMs - prev.at);
    this.foreign.push(Math.max(0, busyCpus - ownCpus));
  }

  /** The report, or undefined when no window could be read. */
  report(): LoadReport | undefined {
    const f = this.foreign;
    if (f.length === 0) return undefined;
    const start = f[0] ?? 0;
    const later = f.length > 1 ? f.slice(1) : f;
    const mean = later.reduce((a, b) => a + b, 0) / later.length;
    const max = Math.max(...later);
    const report: LoadReport = {
      foreignCpusAtStart: start,
      foreignCpusMean: mean,
      foreignCpusMax: max,
      rose: f.length > 1 && mean - start >= LOAD_RISE_CPUS,
      samples: f.length,
    };
    if (this.mhz.length > 0) report.cpuMhz = { min: Math.min(...this.mhz), max: Math.max(...this.mhz) };
    return report;
  }
}

/** Sentences about a load report for the result's notes. */
export function loadNotes(r: LoadReport | undefined, cpus: number): string[] {
  if (!r) return ["The machine's load could not be read on this platform; intervals assume it stayed steady."];
  const out: string[] = [];
  const f = (x: number) => x.toFixed(1);
  if (r.rose)
    out.push(
      `Other processes' load rose during the measurement (from ${f(r.foreignCpusAtStart)} to ${f(r.foreignCpusMean)} of ${cpus} CPUs on average, at most ${f(r.foreignCpusMax)}): the intervals are 99 % instead of 95 %, so they are wider.`,
    );
  else if (r.foreignCpusMean >= 0.5)
    out.push(
      `Other processes kept about ${f(r.foreignCpusMean)} of ${cpus} CPUs busy while measuring; interleaving made it hit every variant alike.`,
    );
  if (r.cpuMhz && r.cpuMhz.max > r.cpuMhz.min * 1.1)
    out.push(
      `The CPU clock varied from ${r.cpuMhz.min.toFixed(0)} to ${r.cpuMhz.max.toFixed(0)} MHz while measuring; interleaving made it hit every variant alike.`,
    );
  return out;
}

/**
 * A warning before a run starts when other work leaves less than half a CPU free, or undefined (also when
 * the load could not be read). `busy` is the busy CPUs sampled just before (see cpuTimes.ts).
 */
export function heavyLoadWarning(busy: number | undefined, cpus: number): string | undefined {
  if (busy === undefined || cpus - busy >= 0.5) return undefined;
  return `The machine is busy (${busy.toFixed(1)} of ${cpus} CPUs in use by other processes just before the run): timings will be slower and noisier, and intervals wider. Results stay comparable between variants, which are measured interleaved; for absolute figures, run again when the machine is quieter.`;
}
