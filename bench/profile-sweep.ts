/**
 * A 5-variant profile of an exported resnet18 (scripts/export-torchvision.py), timed end to end, and the
 * harness's own cost: the timing loop against a bare `await session.run()` loop on the same session.
 * The profile runs the worker bundled as users get it (esbuild, fresh from src/, so never stale): a
 * worker started through tsx would add about 1.5 s of TypeScript compilation per variant.
 * Usage: npm run bench:profile-sweep [-- --model path.onnx] [-- --budget 50]
 * Ends with: RESULT profile-sweep seconds=<> worst_ci_pct=<> overhead_pct=<>
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { serialize } from 'node:v8';
import { buildSync } from 'esbuild';
import { profileModel, type WorkerSpec } from '../src/profiler/index';
import { createSession, toFeeds } from '../src/profiler/engine/ort';
import { timeSession } from '../src/profiler/engine/measure';
import { randomSamples, batchFeeds } from '../src/profiler/inputs';
import { modelInputs } from '../src/profiler/engine/job';
import { medianCi, sortedCopy } from '../src/profiler/stats';

const ROOT = path.join(__dirname, '..');
const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const model = argOf('--model') ?? path.join(homedir(), '.cache', 'greenlens-test-models', 'resnet18.onnx');
const budgetS = Number(argOf('--budget') ?? 50);

/** Bundles src/profiler/worker.ts like scripts/build.mjs does, next to node_modules so onnxruntime-node resolves. */
function bundledWorker(): WorkerSpec {
  const dir = path.join(ROOT, 'node_modules', '.cache', 'greenlens-bench');
  buildSync({
    entryPoints: [path.join(ROOT, 'src', 'profiler', 'worker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'onnxruntime-node'], outfile: path.join(dir, 'worker.js'), logLevel: 'warning',
  });
  // The energy tables are read at run time from data/ next to the bundle (src/dataFiles.ts).
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  for (const d of ['src/catalog/data', 'src/energy/data']) {
    for (const f of readdirSync(path.join(ROOT, d)).filter((n) => n.endsWith('.json'))) copyFileSync(path.join(ROOT, d, f), path.join(dir, 'data', f));
  }
  return { path: path.join(dir, 'worker.js') };
}

/**
 * Harness cost: rounds of a bare loop and the harness loop with the same number of runs on one session,
 * alternating which goes first; the per-round relative difference of the mean time per run pairs each
 * harness block with a bare block under the same load. Reported: the median difference and its 95 % CI.
 */
async function overheadPct(threads: number | undefined): Promise<{ pct: number; low: number; high: number }> {
  const inputs = modelInputs(model, { inputs: {} });
  const session = await createSession(model, { threads });
  const feeds = toFeeds(batchFeeds(randomSamples(inputs, {}, 1), 0, 1));
  const rounds = 24;
  const runs = 10;
  const bareBlock = async () => {
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    return (performance.now() - t0) / runs;
  };
  // A budget it cannot exhaust and an unreachable CI target: exactly `runs` timed runs, checking the CI
  // every 5 runs as the real loop does early on and serialising a progress message as the worker does for
  // its IPC channel. The session is warm, so the block skips the warm-up.
  const progress = (repetitions: number, ciPct: number) => void serialize({ type: 'progress', id: 1, phase: 'measuring', repetitions, ciPct });
  const harnessBlock = async () => {
    const loop = await timeSession(session, feeds, { budgetMs: 1e9, targetCiPct: -1, minRepetitions: 5, maxRepetitions: runs, skipWarmUp: true, onProgress: progress });
    return loop.wallMs / loop.latency.n;
  };
  for (let i = 0; i < 5; i++) await session.run(feeds);
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
  console.log(`bare session.run loop ${(bareSum / rounds).toFixed(3)} ms/run, harness loop ${(harnessSum / rounds).toFixed(3)} ms/run; ` +
    `paired difference median ${ci.median.toFixed(2)} % (95 % CI ${ci.low.toFixed(2)} … ${ci.high.toFixed(2)} %, ${rounds} rounds of ${runs} runs)`);
  return { pct: ci.median, low: ci.low, high: ci.high };
}

async function main(): Promise<void> {
  if (!existsSync(model)) throw new Error(`${model} not found: run scripts/fetch-test-models.sh`);
  const worker = bundledWorker();
  const t0 = performance.now();
  const res = await profileModel({
    modelPath: model, storageDir: mkdtempSync(path.join(tmpdir(), 'gl-sweep-')), variants: 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all',
    inputs: { randomSamples: 8 }, budgetMs: budgetS * 1000, worker,
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`threads: ${res.threads?.reason ?? 'n/a'}`);
  for (const v of res.variants) {
    const m = v.metrics;
    console.log(`  ${v.id.padEnd(18)} ${v.status.padEnd(9)} ${m ? `p50 ${m.p50Ms.toFixed(2)} ms ±${m.ciPct.toFixed(2)} % (${m.repetitions} runs in ${m.passes ?? 1} pass${(m.passes ?? 1) > 1 ? 'es' : ''}, ${((m.repetitions * m.meanMs) / 1000).toFixed(1)} s timed, load ${m.loadMs.toFixed(0)} ms, build ${m.buildMs.toFixed(0)} ms)` : v.reason ?? ''}`);
  }
  const cis = res.variants.flatMap((v) => (v.metrics ? [v.metrics.ciPct] : []));
  const worst = Math.max(...cis);
  const overhead = await overheadPct(res.threads?.count);
  console.log(`RESULT profile-sweep seconds=${seconds.toFixed(1)} worst_ci_pct=${worst.toFixed(2)} overhead_pct=${overhead.pct.toFixed(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
