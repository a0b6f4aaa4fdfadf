/**
 * Benchmark: `greenlens inspect` (open + summarise with shapes and MACs) of the 346 MB vit_b_16 export
 * against python3-onnx's `onnx.load` + parameter count on the same file, in the same run.
 *
 * Each side runs in its own child process so that its peak RSS is its own. Our child is the analyzer
 * bundled by esbuild and run by plain node, as the CLI ships. Times are measured inside each child
 * around the work itself: interpreter start-up and imports are excluded on both sides, and the file is
 * in the page cache for both (every run reads it whole or in part, and they alternate).
 *
 * Three measurements, each the median over RUNS processes per side, ours and python's alternating:
 * - cold: the first call in a fresh process, as `greenlens inspect` runs: with the CLI's code cache
 *   (src/cli/compileCache.ts) in place, as every run after a command's first finds it, and V8's own
 *   settings. V8 still runs each function unoptimised at first. Python's side is the same: its
 *   interpreter loads the onnx package from the .pyc files Debian compiled at install, outside its timer.
 * - cold without the cache: the very first run, V8 compiling each function to bytecode on its first call.
 * - warm: the median of 5 calls after warm-up calls in the same process, as in the editor, whose
 *   extension host stays up between models.
 * Ends with one line for the cold figures, the ones a one-shot CLI user waits for, and the speed-ups warm
 * and on a first run: RESULT onnx-inspect seconds=<ours> peak_rss_mb=<ours> speedup_vs_onnx=<ratio> ...
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const MODEL = path.join(
  process.env.GREENLENS_TEST_MODELS ?? path.join(homedir(), '.cache', 'greenlens-test-models'),
  'vit_b_16.onnx',
);
const PYTHON = '/usr/bin/python3';
/** Processes per side and mode: medians of 9 stand up to a busy host's bursts better than 5 did. */
const RUNS = 9;

type Mode = 'cold' | 'uncached' | 'warm';
interface Side {
  seconds: number;
  wallSeconds: number;
  peakRssMb: number;
  params: number;
  gmacs: number | null;
}

/**
 * Our child's entry: runs the work bundle with the compile cache in CACHE_DIR, as dist/cli.js runs the
 * CLI (src/cli/launch.ts); without a cache when CACHE_DIR is unset. argv is passed through.
 */
const LAUNCH = (work: string): string => `
import { loadCached } from ${JSON.stringify(path.resolve(__dirname, '../src/cli/compileCache'))};
const loaded = loadCached(${JSON.stringify(work)}, 'inspect', process.env.CACHE_DIR || undefined);
process.once('exit', () => loaded.save());
`;

/**
 * What our child runs: the timed part is openModelFile + summarizeModel + close. argv: model, then
 * warm-up calls and timed calls (0 and 1 for a cold run); prints the median of the timed calls.
 */
const CHILD = `
import { openModelFile, summarizeModel } from ${JSON.stringify(path.resolve(__dirname, '../src/analyzers/onnx/index'))};
const [file, warmup, timed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
let s;
const times = [];
for (let i = 0; i < warmup + timed; i++) {
  const t0 = performance.now();
  const opened = openModelFile(file);
  s = summarizeModel(opened.model, opened.source, {});
  opened.close();
  if (i >= warmup) times.push((performance.now() - t0) / 1000);
}
const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
process.stdout.write(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, params: s.structure.parameters.count, gmacs: s.cost.macs / 1e9 }));
`;

/** The python side, timed the same way: onnx.load + parameter count per call. */
const PY = `
import resource, sys, time
import onnx
warmup, timed = int(sys.argv[2]), int(sys.argv[3])
times = []
for i in range(warmup + timed):
    t0 = time.perf_counter()
    m = onnx.load(sys.argv[1])
    params = 0
    for t in m.graph.initializer:
        n = 1
        for d in t.dims: n *= d
        params += n
    if i >= warmup: times.append(time.perf_counter() - t0)
    del m
seconds = sorted(times)[len(times) // 2]
print('{"seconds": %f, "peakRssMb": %f, "params": %d, "gmacs": null}' % (seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, params))
`;

/** Warm-up and timed calls per process: V8 needs a few calls before its optimised code is in place. */
const CALLS: Record<Mode, { ours: [number, number]; python: [number, number] }> = {
  cold: { ours: [0, 1], python: [0, 1] },
  uncached: { ours: [0, 1], python: [0, 1] },
  warm: { ours: [4, 5], python: [1, 5] },
};

function timed(cmd: string, args: string[], cacheDir?: string): Side {
  const env = { ...process.env };
  delete env.CACHE_DIR;
  if (cacheDir) env.CACHE_DIR = cacheDir;
  const t0 = performance.now();
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20, env });
  const wallSeconds = (performance.now() - t0) / 1000;
  return { ...(JSON.parse(out) as Omit<Side, 'wallSeconds'>), wallSeconds };
}

function median(runs: Side[]): Side {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)] as Side;
}

function row(name: string, s: Side): string {
  const gmacs = s.gmacs === null ? '-' : s.gmacs.toFixed(3);
  return `${name.padEnd(40)} ${s.seconds.toFixed(3).padStart(9)} ${s.wallSeconds.toFixed(3).padStart(10)} ${s.peakRssMb.toFixed(0).padStart(9)} ${String(s.params).padStart(11)} ${gmacs.padStart(7)}`;
}

function measure(launcher: string, mode: Mode, cacheDir: string): { ours: Side; theirs: Side; all: Side[][] } {
  const ours: Side[] = [];
  const theirs: Side[] = [];
  const calls = CALLS[mode];
  for (let i = 0; i < RUNS; i++) {
    ours.push(
      timed(process.execPath, [launcher, MODEL, ...calls.ours.map(String)], mode === 'uncached' ? undefined : cacheDir),
    );
    theirs.push(timed(PYTHON, ['-c', PY, MODEL, ...calls.python.map(String)]));
  }
  return { ours: median(ours), theirs: median(theirs), all: [ours, theirs] };
}

function main(): void {
  if (!existsSync(MODEL)) {
    console.error(`${MODEL} is missing: run scripts/fetch-test-models.sh first`);
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-bench-'));
  try {
    const work = path.join(dir, 'work.js');
    const launcher = path.join(dir, 'launch.js');
    const build = (contents: string, outfile: string): unknown =>
      buildSync({
        stdin: { contents, loader: 'ts', resolveDir: __dirname },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile,
        logLevel: 'error',
      });
    build(CHILD, work);
    build(LAUNCH(work), launcher);
    // A first run writes the cache, as a user's first `greenlens inspect` does; it is not measured.
    const cacheDir = path.join(dir, 'cache');
    timed(process.execPath, [launcher, MODEL, '0', '1'], cacheDir);
    const cold = measure(launcher, 'cold', cacheDir);
    const uncached = measure(launcher, 'uncached', cacheDir);
    const warm = measure(launcher, 'warm', cacheDir);
    console.log(`vit_b_16.onnx (${MODEL}), median of ${RUNS} processes per side, Node.js ${process.version}`);
    console.log(
      `${'side'.padEnd(40)} ${'seconds'.padStart(9)} ${'wall (s)'.padStart(10)} ${'peak MB'.padStart(9)} ${'params'.padStart(11)} ${'GMACs'.padStart(7)}`,
    );
    console.log(row('cold: greenlens open + summarise', cold.ours));
    console.log(row('cold: python3-onnx load + param count', cold.theirs));
    console.log(row('cold, first run (no compile cache)', uncached.ours));
    console.log(row('  python3-onnx in the same runs', uncached.theirs));
    console.log(row('warm: greenlens open + summarise', warm.ours));
    console.log(row('warm: python3-onnx load + param count', warm.theirs));
    const spread = (s: Side[]): string => s.map((x) => x.seconds.toFixed(3)).join(' ');
    console.log(`cold runs (s): greenlens ${spread(cold.all[0] as Side[])}; python ${spread(cold.all[1] as Side[])}`);
    console.log('seconds: the work inside the process (cold: first call; warm: median of 5 calls after warm-up);');
    console.log(
      `first run: speedup_vs_onnx=${(uncached.theirs.seconds / uncached.ours.seconds).toFixed(1)} (V8 compiles every function it calls; later runs load that from the cache)`,
    );
    console.log('wall: whole child process, start-up and every call included; peak MB: the child process.');
    console.log('params: python counts initializers only; greenlens adds the elements of Constant nodes.');
    console.log(`warm speedup_vs_onnx=${(warm.theirs.seconds / warm.ours.seconds).toFixed(1)}`);
    console.log(
      `RESULT onnx-inspect seconds=${cold.ours.seconds.toFixed(3)} peak_rss_mb=${cold.ours.peakRssMb.toFixed(0)} speedup_vs_onnx=${(cold.theirs.seconds / cold.ours.seconds).toFixed(1)} warm_speedup_vs_onnx=${(warm.theirs.seconds / warm.ours.seconds).toFixed(1)} first_run_speedup_vs_onnx=${(uncached.theirs.seconds / uncached.ours.seconds).toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
