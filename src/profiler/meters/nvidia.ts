/**
 * NVIDIA GPU power through nvidia-smi's sampling mode: power.draw every 100 ms while a job runs,
 * integrated with the trapezoid rule (the method of the training-energy study GreenLens builds on).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** One power sample: seconds since start and watts (summed over GPUs). */
export interface PowerSample {
  t: number;
  watts: number;
}

/** Parses nvidia-smi `--format=csv,noheader,nounits` power lines ("123.45" per GPU per line). */
export function parsePowerLines(text: string): number[] {
  return text
    .split('\n')
    .map((l) => Number.parseFloat(l.trim()))
    .filter((w) => Number.isFinite(w) && w >= 0);
}

/** Trapezoidal integral of power samples over time, in joules. */
export function integratePower(samples: PowerSample[]): number {
  let j = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as PowerSample;
    const b = samples[i] as PowerSample;
    j += ((a.watts + b.watts) / 2) * (b.t - a.t);
  }
  return j;
}

/** Samples GPU power with a long-running nvidia-smi process between begin() and end(). */
export class NvidiaSmiMeter {
  readonly name = 'nvidia-smi';
  private child: ChildProcess | undefined;
  private samples: PowerSample[] = [];
  private t0 = 0;

  constructor(
    private readonly binary = 'nvidia-smi',
    private readonly gpuCount = 1,
  ) {}

  begin(): void {
    this.t0 = performance.now();
    this.samples = [];
    let pending: number[] = [];
    this.child = spawn(this.binary, ['--query-gpu=power.draw', '--format=csv,noheader,nounits', '-lms', '100'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.child.on('error', () => {
      /* Reported by end() as "no samples". */
    });
    this.child.stdout?.on('data', (d: Buffer) => {
      // One line per GPU per tick: group gpuCount lines into one summed sample.
      for (const w of parsePowerLines(d.toString())) {
        pending.push(w);
        if (pending.length === this.gpuCount) {
          this.samples.push({ t: (performance.now() - this.t0) / 1000, watts: pending.reduce((a, b) => a + b, 0) });
          pending = [];
        }
      }
    });
  }

  /** Joules since begin(); throws when nvidia-smi produced fewer than two samples. */
  end(): number {
    this.child?.kill();
    if (this.samples.length < 2)
      throw new Error('nvidia-smi gave fewer than two power samples (run longer, or it is not available)');
    return integratePower(this.samples);
  }
}
