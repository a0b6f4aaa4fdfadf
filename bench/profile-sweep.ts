/**
 * A 5-variant profile of an exported resnet18 (scripts/export-torchvision.py), timed end to end, with its
 * widest latency and speed-up intervals, and the harness's own cost: an interleaved round against a bare
 * `await session.run()` loop on the same session. The profile runs the bundled worker (./worker.ts).
 * Usage: npm run bench:profile-sweep [-- --model path.onnx] [-- --budget 50]
 * Ends with: RESULT profile-sweep seconds=<> worst_ci_pct=<> worst_speedup_pct=<> overhead_pct=<>
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { profileModel } from '../src/profiler/index';
import { ratioHalfWidthPct } from '../src/profiler/compare';
import { interleave, LEAD_IN_FROM_RUNS, runsPerBlock, systemClock, worstIntervalPct } from '../src/profiler/interleave';
import { seededRandom } from '../src/random';
import { createSession, toFeeds } from '../src/profiler/inWorker/ort';
import { randomSamples, batchFeeds } from '../src/profiler/inputs';
import { modelInputs } from '../src/profiler/inWorker/job';
import { medianCi, sortedCopy } from '../src/profiler/stats';
import { bundledWorker } from './worker';

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const model = argOf('--model') ?? path.join(homedir(), '.cache', 'greenlens-test-models', 'resnet18.onnx');
const budgetS = Number(argOf('--budget') ?? 50);

/**
 * Harness cost: rounds of a bare loop and the interleaved loop over the same number of runs on one
 * session, alternating which goes first; the per-round relative difference of the wall time per timed run
 * pairs each harness side with a bare side under the same load. The harness side is four interleaved
 * rounds of blocks sized as a profile sizes them (5 ms, from the fastest run), with everything a round
 * costs: lead-in runs, block timing, CPU time, the interval check, bookkeeping. Reported: the median
 * difference and its 95 % CI.
 */
async function overheadPct(threads: number | undefined): Promise<{ pct: number; low: number; high: number }> {
  const inputs = modelInputs(model, { inputs: {} });
  const session = await createSession(model, { threads });
  const feeds = toFeeds(batchFeeds(randomSamples(inputs, {}, 1), 0, 1));
  const rounds = 24;
  for (let i = 0; i < 5; i++) await session.run(feeds);
  let fastest = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await session.run(feeds);
    fastest = Math.min(fastest, performance.now() - t);
  }
  const perBlock = runsPerBlock(fastest, 5);
  const runs = perBlock * 4;
  const bareBlock = async () => {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    return (performance.now() - t0) / runs;
  };
  const harnessBlock = async () => {
    const t0 = performance.now();
    await interleave(
      [{ run: () => session.run(feeds), runs: perBlock, batch: 1, leadIn: perBlock >= LEAD_IN_FROM_RUNS }],
      {
        budgetMs: 1e9,
        targetPct: -1,
        clock: systemClock,
        random: seededRandom(1),
        minRounds: 2,
        maxRounds: 4,
        worstPct: (logs) => worstIntervalPct(logs, [1], 1e-4),
      },
    );
    return (performance.now() - t0) / runs;
  };
  const diffs: number[] = [];
  let bareSum = 0;
  let harnessSum = 0;
  for (let r = 0; r < rounds; r++) {
    let bare: number;
    let harness: number;
    if (r % 2 === 0) {
      bare = await bareBlock();
      harness = await harnessBlock();
    } else {
      harness = await harnessBlock();
      bare = await bareBlock();
    }
    bareSum += bare;
    harnessSum += harness;
    diffs.push(((harness - bare) / bare) * 100);
  }
  await session.release();
  const ci = medianCi(sortedCopy(diffs));
  console.log(
    `bare session.run loop ${(bareSum / rounds).toFixed(3)} ms/run, interleaved loop ${(harnessSum / rounds).toFixed(3)} ms/run; ` +
      `paired difference median ${ci.median.toFixed(2)} % (95 % CI ${ci.low.toFixed(2)} … ${ci.high.toFixed(2)} %, ${rounds} rounds of ${runs} runs in blocks of ${perBlock})`,
  );
  return { pct: ci.median, low: ci.low, high: ci.high };
}

async function main(): Promise<void> {
  if (!existsSync(model)) throw new Error(`${model} not found: run scripts/fetch-test-models.sh`);
  const worker = bundledWorker();
  const t0 = performance.now();
  const storageDir = mkdtempSync(path.join(tmpdir(), 'gl-sweep-'));
  const res = await profileModel({
    modelPath: model,
    storageDir,
    variants: 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all',
    inputs: { randomSamples: 8 },
    budgetMs: budgetS * 1000,
    worker,
  }).finally(() => rmSync(storageDir, { recursive: true, force: true }));
  const seconds = (performance.now() - t0) / 1000;
  console.log(`threads: ${res.threads?.reason ?? 'n/a'}`);
  for (const v of res.variants) {
    const m = v.metrics;
    const s = v.speedup;
    const speed =
      s && v.kind !== 'baseline'
        ? `, speed-up ${s.value.toFixed(3)} (${s.low.toFixed(3)}–${s.high.toFixed(3)}, ${v.verdict})`
        : '';
    console.log(
      `  ${v.id.padEnd(18)} ${v.status.padEnd(9)} ${m ? `p50 ${m.p50Ms.toFixed(2)} ms ±${m.ciPct.toFixed(2)} % (${m.repetitions} runs in ${m.blocks ?? 0} blocks, ${((m.repetitions * m.meanMs) / 1000).toFixed(1)} s timed, load ${m.loadMs.toFixed(0)} ms, build ${m.buildMs.toFixed(0)} ms)${speed}` : (v.reason ?? '')}`,
    );
  }
  const mi = res.measurement;
  if (mi)
    console.log(
      `interleaved: ${mi.rounds} rounds, blocks about ${mi.blockTargetMs.toFixed(1)} ms, clock step ${mi.clockGranularityUs.toFixed(3)} µs, ${Math.round(mi.level * 100)} % intervals; ${mi.notes.join(' ')}`,
    );
  const cis = res.variants.flatMap((v) => (v.metrics ? [v.metrics.ciPct] : []));
  const worst = Math.max(...cis);
  const worstSpeedup = Math.max(
    0,
    ...res.variants.flatMap((v) => (v.speedup && v.kind !== 'baseline' ? [ratioHalfWidthPct(v.speedup)] : [])),
  );
  const overhead = await overheadPct(res.threads?.count);
  console.log(
    `RESULT profile-sweep seconds=${seconds.toFixed(1)} worst_ci_pct=${worst.toFixed(2)} worst_speedup_pct=${worstSpeedup.toFixed(2)} overhead_pct=${overhead.pct.toFixed(2)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
