/**
 * NVIDIA GPU energy from NVML's cumulative counter, nvmlDeviceGetTotalEnergyConsumption: millijoules
 * since the driver was last loaded, on Volta and newer GPUs. nvidia-smi, which is built on NVML, answers
 * `--query-gpu=total_energy_consumption` with that counter on drivers that know the field; others answer
 * `Field "total_energy_consumption" is not a valid field to query.` or `[N/A]`, so the meter is probed
 * before use and power integration (nvidia.ts) stays the fallback. A counter difference has no sampling
 * error, unlike integrating 100 ms power samples; its resolution is the counter's update period
 * (about 20-100 ms), so loops shorter than a few seconds carry a note with the possible error.
 */
import { execFileSync } from 'node:child_process';

/** The nvidia-smi query field that reads NVML's total energy counter. */
export const ENERGY_FIELD = 'total_energy_consumption';

/** Runs nvidia-smi with arguments and returns its standard output; throws when it fails. Tests pass a fake. */
export type SmiExec = (binary: string, args: string[]) => string;

const defaultExec: SmiExec = (binary, args) =>
  execFileSync(binary, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });

/** One counter reading per GPU in millijoules, or the reason there is none. */
export type CounterReading = { ok: true; mj: number[] } | { ok: false; reason: string };

/**
 * Parses `--query-gpu=total_energy_consumption --format=csv,noheader,nounits` output: one line per GPU.
 * A GPU without the counter answers `[N/A]` or `[Not Supported]`; an unknown field gives nvidia-smi's
 * "is not a valid field" message instead of numbers.
 */
export function parseEnergyCounters(text: string): CounterReading {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return { ok: false, reason: 'nvidia-smi printed no energy counter' };
  if (lines.some((l) => /not a valid field/i.test(l)))
    return { ok: false, reason: `this nvidia-smi has no ${ENERGY_FIELD} field (older driver)` };
  const mj: number[] = [];
  for (const l of lines) {
    if (/^\[(N\/A|Not Supported|Unknown Error)\]$/i.test(l))
      return { ok: false, reason: `the GPU reports no energy counter (${l}; NVML has it from Volta on)` };
    const v = Number(l);
    if (!Number.isFinite(v) || v < 0)
      return { ok: false, reason: `unexpected energy counter output "${l.slice(0, 60)}"` };
    mj.push(v);
  }
  return { ok: true, mj };
}

/** Joules between two readings, summed over GPUs; throws when a counter went backwards (driver reloaded) or the GPU count changed. */
export function energyDeltaJ(before: number[], after: number[]): number {
  if (before.length !== after.length)
    throw new Error(`the GPU count changed during the run (${before.length} → ${after.length})`);
  let mj = 0;
  for (const [i, b] of before.entries()) {
    const a = after[i] ?? b;
    if (a < b) throw new Error('the NVML energy counter went backwards: the driver was reloaded during the run');
    mj += a - b;
  }
  return mj / 1000;
}

/** Reads the counters once through nvidia-smi. */
export function readEnergyCounters(binary = 'nvidia-smi', exec: SmiExec = defaultExec): CounterReading {
  let out: string;
  try {
    out = exec(binary, [`--query-gpu=${ENERGY_FIELD}`, '--format=csv,noheader,nounits']);
  } catch (e) {
    // nvidia-smi exits non-zero for an unknown field and prints the message; keep it for the reason.
    const err = e as { stdout?: string; stderr?: string; code?: string; message: string };
    const text = `${err.stdout ?? ''}\n${err.stderr ?? ''}`;
    if (/not a valid field/i.test(text)) return parseEnergyCounters(text);
    return {
      ok: false,
      reason:
        err.code === 'ENOENT'
          ? `${binary} not found: no NVIDIA driver on this machine`
          : `${binary} failed: ${err.message.split('\n')[0] ?? ''}`,
    };
  }
  return parseEnergyCounters(out);
}

/** Energy between begin() and end() from NVML's counter, summed over all GPUs. */
export class NvmlEnergyMeter {
  readonly name = 'nvml:total-energy-counter';
  private start: number[] | undefined;
  private t0 = 0;
  /** Set by end(): why the figure is less certain than the counter's own accuracy, if it is. */
  note: string | undefined;

  constructor(
    private readonly binary = 'nvidia-smi',
    private readonly exec: SmiExec = defaultExec,
    private readonly now: () => number = () => performance.now(),
  ) {}

  begin(): void {
    const r = readEnergyCounters(this.binary, this.exec);
    if (!r.ok) throw new Error(r.reason);
    this.start = r.mj;
    this.t0 = this.now();
  }

  /** Joules since begin(). */
  end(): number {
    if (!this.start) throw new Error('NvmlEnergyMeter.end() called before begin()');
    const r = readEnergyCounters(this.binary, this.exec);
    if (!r.ok) throw new Error(r.reason);
    // One update period (up to 100 ms) at each end bounds the error of the difference.
    const seconds = (this.now() - this.t0) / 1000;
    const pct = Math.min(100, (0.1 / Math.max(seconds, 1e-3)) * 100);
    this.note =
      pct > 2
        ? `the measured loop lasted ${seconds.toFixed(2)} s and NVML updates its energy counter every 20-100 ms, so the figure may be off by up to ${pct.toFixed(0)} %`
        : undefined;
    return energyDeltaJ(this.start, r.mj);
  }
}
