/**
 * Checks the checker under noise. A CPU-bound neighbour process spins on one core while the profiler's
 * worker (bundled, as users get it) runs interleaved measurements of two comparisons, each many times:
 *   A/A: the same model as baseline and as "variant"; its speed-up interval should hold 1 (95 % nominal);
 *   A/B: a model and a variant with one extra MatMul layer on top of ten (about 10 % more compute), built
 *        here so that the direction is known; the verdict should be "slower".
 * Every trial is a fresh interleave job in a fresh worker (load, warm-up, rounds), so that trials differ in
 * process start and memory layout as real profiles do.
 * Usage: npm run bench:noise [-- --trials 20] [-- --budget 6000]
 * Ends with: RESULT noise null_coverage=<share of A/A intervals holding 1> detect_10pct=<share of A/B found slower> trials=<n>
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { onnx } from '../src/analyzers/onnx/generated/onnx';
import { formatSpeedup, ratioHalfWidthPct } from '../src/profiler/compare';
import { ProfilerRunner } from '../src/profiler/index';
import type { InterleaveJob, InterleaveOutcome } from '../src/profiler/protocol';
import { bundledWorker } from './worker';

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const trials = Number(argOf('--trials') ?? 20);
const budgetMs = Number(argOf('--budget') ?? 6000);
const WIDTH = 384;

/** A chain of `layers` MatMul + Relu layers of WIDTH × WIDTH on a [1, WIDTH] input, with fixed pseudo-random weights. */
function chainModel(layers: number): Uint8Array {
  let seed = 12345;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) / Math.sqrt(WIDTH);
  const io = (name: string) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: WIDTH }] } } },
  });
  const initializer: onnx.TensorProto.$Properties[] = [];
  const node: onnx.NodeProto.$Properties[] = [];
  let prev = 'x';
  for (let i = 0; i < layers; i++) {
    const w = Float32Array.from({ length: WIDTH * WIDTH }, random);
    initializer.push({ name: `w${i}`, dims: [WIDTH, WIDTH], dataType: 1, rawData: new Uint8Array(w.buffer) });
    node.push({ name: `mm${i}`, opType: 'MatMul', input: [prev, `w${i}`], output: [`h${i}`] });
    const out = i === layers - 1 ? 'y' : `r${i}`;
    node.push({ name: `relu${i}`, opType: 'Relu', input: [`h${i}`], output: [out] });
    prev = out;
  }
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'greenlens-bench',
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'chain', input: [io('x')], output: [io('y')], initializer, node },
  }).finish();
}

/** A busy loop pinned to the last core where taskset exists: foreign load the measurement has to live with. */
function startNeighbour(): ChildProcess {
  const core = String(cpus().length - 1);
  const spin = ['-e', 'for (;;) {}'];
  const useTaskset = existsSync('/usr/bin/taskset');
  return useTaskset
    ? spawn('/usr/bin/taskset', ['-c', core, process.execPath, ...spin], { stdio: 'ignore' })
    : spawn(process.execPath, spin, { stdio: 'ignore' });
}

async function trial(runner: ProfilerRunner, base: string, variant: string, seed: number): Promise<InterleaveOutcome> {
  const job: InterleaveJob = {
    sourceModelPath: base,
    contestants: [
      { id: 'baseline', modelPath: base, batch: 1, threads: 1 },
      { id: 'variant', modelPath: variant, batch: 1, threads: 1 },
    ],
    inputs: { seed: 1 },
    budgetMs,
    targetCiPct: 0.5,
    seed,
  };
  const answer = await runner.request({ type: 'interleave', job }, { timeoutMs: budgetMs * 10 + 60_000 });
  if (answer.type !== 'interleaved')
    throw new Error(`trial failed: ${answer.type === 'error' ? answer.message : answer.type}`);
  return answer.outcome;
}

function line(kind: string, i: number, o: InterleaveOutcome): string {
  const v = o.lanes[1];
  const m = o.measurement;
  const load = m.load
    ? `foreign load ${m.load.foreignCpusMean.toFixed(2)} CPUs${m.load.rose ? ' (rose: 99 %)' : ''}`
    : 'load n/a';
  const passes = (v?.passSpeedups ?? [])
    .map((p) => `${p.value.toFixed(3)}±${ratioHalfWidthPct(p).toFixed(1)}`)
    .join(' ');
  return `${kind} ${String(i + 1).padStart(2)}  speed-up ${formatSpeedup(v?.speedup).padEnd(20)} ${(v?.verdict ?? '').padEnd(24)} ${m.passes ?? 1} passes, ${m.rounds} rounds × ${v?.metrics.runsPerBlock ?? 0} runs, ${load}; per pass ${passes}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-noise-'));
  const a = path.join(dir, 'chain10.onnx');
  const b = path.join(dir, 'chain11.onnx');
  writeFileSync(a, chainModel(10));
  writeFileSync(b, chainModel(11));
  const runner = new ProfilerRunner(bundledWorker());
  console.log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs; ${trials} trials of A/A and A/B, ${budgetMs} ms each`,
  );
  const neighbour = startNeighbour();
  let covered = 0;
  let detected = 0;
  try {
    for (let i = 0; i < trials; i++) {
      const aa = await trial(runner, a, a, 100 + i);
      const s = aa.lanes[1]?.speedup;
      if (s && s.low <= 1 && s.high >= 1) covered++;
      console.log(line('A/A', i, aa));
      const ab = await trial(runner, a, b, 200 + i);
      if (ab.lanes[1]?.verdict === 'slower') detected++;
      console.log(line('A/B', i, ab));
    }
  } finally {
    neighbour.kill('SIGKILL');
    runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `RESULT noise null_coverage=${(covered / trials).toFixed(2)} detect_10pct=${(detected / trials).toFixed(2)} trials=${trials}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
