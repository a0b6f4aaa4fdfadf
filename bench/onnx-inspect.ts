/**
 * Benchmark: `greenlens inspect` (open + summarise with shapes and MACs) of the 346 MB vit_b_16 export
 * against python3-onnx's `onnx.load` + parameter count on the same file, in the same run.
 *
 * Each side runs in its own child process so that its peak RSS is its own. Our child is the analyzer
 * bundled by esbuild and run by plain node, as the CLI ships. Times are measured inside each child
 * around the work itself (interpreter start-up and imports excluded on both sides), median of 3 runs.
 * Ends with one line: RESULT onnx-inspect seconds=<ours> peak_rss_mb=<ours> speedup_vs_onnx=<ratio>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const MODEL = path.join(process.env.GREENLENS_TEST_MODELS ?? path.join(homedir(), '.cache', 'greenlens-test-models'), 'vit_b_16.onnx');
const PYTHON = '/usr/bin/python3';
const RUNS = 3;

interface Side { seconds: number; wallSeconds: number; peakRssMb: number; params: number; gmacs: number | null }

/** What our child runs: the timed part is openModelFile + summarizeModel. */
const CHILD = `
import { openModelFile, summarizeModel } from ${JSON.stringify(path.resolve(__dirname, '../src/analyzers/onnx/index'))};
const t0 = performance.now();
const opened = openModelFile(process.argv[2]);
const s = summarizeModel(opened.model, opened.source, {});
opened.close();
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, params: s.structure.parameters.count, gmacs: s.cost.macs / 1e9 }));
`;

const PY = `
import resource, sys, time
import onnx
t0 = time.perf_counter()
m = onnx.load(sys.argv[1])
params = 0
for t in m.graph.initializer:
    n = 1
    for d in t.dims: n *= d
    params += n
seconds = time.perf_counter() - t0
print('{"seconds": %f, "peakRssMb": %f, "params": %d, "gmacs": null}' % (seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, params))
`;

function timed(cmd: string, args: string[]): Side {
  const t0 = performance.now();
  const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallSeconds = (performance.now() - t0) / 1000;
  return { ...(JSON.parse(out) as Omit<Side, 'wallSeconds'>), wallSeconds };
}

function median(runs: Side[]): Side {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)] as Side;
}

function row(name: string, s: Side): string {
  const gmacs = s.gmacs === null ? '-' : s.gmacs.toFixed(3);
  return `${name.padEnd(34)} ${s.seconds.toFixed(3).padStart(9)} ${s.wallSeconds.toFixed(3).padStart(10)} ${s.peakRssMb.toFixed(0).padStart(9)} ${String(s.params).padStart(11)} ${gmacs.padStart(7)}`;
}

function main(): void {
  if (!existsSync(MODEL)) {
    console.error(`${MODEL} is missing: run scripts/fetch-test-models.sh first`);
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-bench-'));
  try {
    const bundle = path.join(dir, 'child.js');
    buildSync({ stdin: { contents: CHILD, loader: 'ts', resolveDir: __dirname }, bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
    const ours: Side[] = [];
    const theirs: Side[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(timed(process.execPath, [bundle, MODEL]));
      theirs.push(timed(PYTHON, ['-c', PY, MODEL]));
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(`vit_b_16.onnx (${MODEL}), median of ${RUNS} runs`);
    console.log(`${'side'.padEnd(34)} ${'seconds'.padStart(9)} ${'wall (s)'.padStart(10)} ${'peak MB'.padStart(9)} ${'params'.padStart(11)} ${'GMACs'.padStart(7)}`);
    console.log(row('greenlens open + summarise', a));
    console.log(row('python3-onnx load + param count', b));
    console.log('seconds: the work inside the process; wall: whole child process, start-up included.');
    console.log('params: python counts initializers only; greenlens adds the elements of Constant nodes.');
    console.log(`RESULT onnx-inspect seconds=${a.seconds.toFixed(3)} peak_rss_mb=${a.peakRssMb.toFixed(0)} speedup_vs_onnx=${(b.seconds / a.seconds).toFixed(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
