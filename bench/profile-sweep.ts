/**
 * A 5-variant profile of an exported resnet18 (scripts/export-torchvision.py), timed end to end, and the
 * harness's own cost: the timing loop against a bare `await session.run()` loop on the same session,
 * alternated so that drift of the machine hits both alike.
 * Usage: npm run bench:profile-sweep [-- --model path.onnx]
 * Ends with: RESULT profile-sweep seconds=<> worst_ci_pct=<> overhead_pct=<>
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { profileModel } from '../src/profiler/index';
import { createSession, toFeeds } from '../src/profiler/engine/ort';
import { timeSession } from '../src/profiler/engine/measure';
import { randomSamples, batchFeeds } from '../src/profiler/inputs';
import { modelInputs } from '../src/profiler/engine/job';

const arg = process.argv.indexOf('--model');
const model = arg > 0 ? process.argv[arg + 1] ?? '' : path.join(homedir(), '.cache', 'greenlens-test-models', 'resnet18.onnx');

async function overheadPct(): Promise<number> {
  const inputs = modelInputs(model, { inputs: {} });
  const session = await createSession(model);
  const feeds = toFeeds(batchFeeds(randomSamples(inputs, {}, 1), 0, 1));
  const rounds = 4;
  const runs = 40;
  let bare = 0;
  let harness = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    bare += (performance.now() - t0) / runs;
    // The harness loop with the same number of runs: a budget it cannot exhaust and an unreachable CI target.
    const loop = await timeSession(session, feeds, { budgetMs: 1e9, targetCiPct: -1, minRepetitions: runs, maxRepetitions: runs });
    harness += loop.wallMs / loop.latency.n;
  }
  await session.release();
  console.log(`bare session.run loop ${(bare / rounds).toFixed(3)} ms/run, harness loop ${(harness / rounds).toFixed(3)} ms/run`);
  return ((harness - bare) / bare) * 100;
}

async function main(): Promise<void> {
  if (!existsSync(model)) throw new Error(`${model} not found: run scripts/fetch-test-models.sh`);
  const t0 = performance.now();
  const res = await profileModel({
    modelPath: model, storageDir: mkdtempSync(path.join(tmpdir(), 'gl-sweep-')), variants: 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all',
    inputs: { randomSamples: 8 }, budgetMs: 40_000,
    onProgress: (p) => { if (p.type === 'variant-finished') console.log(`  ${p.result.id.padEnd(18)} ${p.result.status.padEnd(9)} ${p.result.metrics ? `p50 ${p.result.metrics.p50Ms.toFixed(2)} ms ±${p.result.metrics.ciPct.toFixed(2)} % (${p.result.metrics.repetitions} runs, load ${p.result.metrics.loadMs.toFixed(0)} ms, build ${p.result.metrics.buildMs.toFixed(0)} ms)` : p.result.reason ?? ''}`); },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cis = res.variants.flatMap((v) => (v.metrics ? [v.metrics.ciPct] : []));
  const worst = Math.max(...cis);
  const overhead = await overheadPct();
  console.log(`RESULT profile-sweep seconds=${seconds.toFixed(1)} worst_ci_pct=${worst.toFixed(2)} overhead_pct=${overhead.toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
