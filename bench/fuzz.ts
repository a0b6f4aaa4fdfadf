/**
 * `npm run fuzz`: at least 10,000 mutants of real ONNX models (the cached test models and Debian's
 * libonnx-testdata) and 1,000 hostile Python files (deep nesting, huge lists, calls and chains, giant
 * lines, invalid UTF-8, NUL bytes, random bytes...), each run in a child process (bench/fuzz/child.ts)
 * under a per-case time limit, with the child's peak resident memory during that case read after it. A
 * child whose peak passed the memory bound, or that timed out or died, is replaced. So is a child left
 * holding more than RECYCLE_MB after a case: V8's heap and the parser's WASM memory keep what they once
 * grew to, and each case is to be measured from a baseline no higher than that, not on top of the
 * memory earlier cases left behind.
 *
 * Options: --onnx N, --python N, --seed S, --timeout-s T, --scale K (size of the Python cases).
 * Ends with: RESULT fuzz onnx_cases=<n> python_cases=<n> uncaught=<n> hangs=<n> over_512mb=<n>
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { CaseRequest, CaseResult } from './fuzz/child';

const { values } = parseArgs({
  options: {
    onnx: { type: 'string' },
    python: { type: 'string' },
    seed: { type: 'string' },
    'timeout-s': { type: 'string' },
    scale: { type: 'string' },
  },
});
const ONNX_CASES = Number(values.onnx ?? 10_000);
const PYTHON_CASES = Number(values.python ?? 1_000);
const SEED = Number(values.seed ?? 20_261);
const TIMEOUT_MS = Number(values['timeout-s'] ?? 60) * 1000;
const SCALE = Number(values.scale ?? 4);
const MEMORY_MB = 512;
const RECYCLE_MB = 320;

interface Lane {
  name: 'onnx' | 'python';
  cases: number;
  uncaught: string[];
  hangs: string[];
  over: string[];
  /** Children replaced because they held more than RECYCLE_MB after a case. */
  recycled: number;
  groups: Map<string, { ok: number; typed: number; slowestMs: number; peakMb: number }>;
}

function startChild(): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'fuzz', 'child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) =>
      m === 'ready' ? resolve(child) : reject(new Error(`unexpected first message ${String(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`fuzz child exited with ${code} before it was ready`)));
  });
}

/** Runs one case on `child`; resolves with its result, or with why the child had to go. */
function runCase(child: ChildProcess, req: CaseRequest): Promise<CaseResult | 'hang' | 'died'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('hang'), TIMEOUT_MS);
    const onMessage = (m: CaseResult): void => finish(m);
    const onExit = (): void => finish('died');
    function finish(r: CaseResult | 'hang' | 'died'): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(r);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(req);
  });
}

async function runLane(lane: Lane): Promise<void> {
  let child = await startChild();
  for (let index = 0; index < lane.cases; index++) {
    const r = await runCase(child, { lane: lane.name, seed: SEED, index, scale: SCALE });
    let replace = false;
    if (r === 'hang' || r === 'died') {
      (r === 'hang' ? lane.hangs : lane.uncaught).push(`case ${index} (seed ${SEED}): ${r}`);
      replace = true;
    } else {
      const g = lane.groups.get(r.group) ?? { ok: 0, typed: 0, slowestMs: 0, peakMb: 0 };
      if (r.outcome === 'uncaught') lane.uncaught.push(`${r.label}: ${r.message ?? ''}`);
      else g[r.outcome]++;
      g.slowestMs = Math.max(g.slowestMs, r.ms);
      g.peakMb = Math.max(g.peakMb, r.peakRssMb);
      lane.groups.set(r.group, g);
      if (r.peakRssMb > MEMORY_MB) {
        lane.over.push(`${r.label}: peak ${r.peakRssMb.toFixed(0)} MB`);
        replace = true;
      }
      if (r.rssMb > RECYCLE_MB) {
        lane.recycled++;
        replace = true;
      }
    }
    if (replace) {
      child.kill('SIGKILL');
      child = await startChild();
    }
    if ((index + 1) % 1000 === 0) console.error(`${lane.name}: ${index + 1}/${lane.cases}`);
  }
  child.kill();
}

function printLane(lane: Lane): void {
  console.log(
    `\n${lane.name}: ${lane.cases} cases (${lane.recycled} children replaced for holding over ${RECYCLE_MB} MB after a case)`,
  );
  console.log(
    'group'.padEnd(16) +
      'ok'.padStart(7) +
      'refused'.padStart(9) +
      'slowest ms'.padStart(12) +
      'peak RSS MB'.padStart(13),
  );
  for (const [name, g] of [...lane.groups].sort())
    console.log(
      name.padEnd(16) +
        String(g.ok).padStart(7) +
        String(g.typed).padStart(9) +
        g.slowestMs.toFixed(0).padStart(12) +
        g.peakMb.toFixed(0).padStart(13),
    );
  for (const line of [...lane.uncaught, ...lane.hangs, ...lane.over])
    console.log(`  FAIL ${line.split('\n').slice(0, 4).join(' | ')}`);
}

async function main(): Promise<void> {
  const lane = (name: Lane['name'], cases: number): Lane => ({
    name,
    cases,
    uncaught: [],
    hangs: [],
    over: [],
    recycled: 0,
    groups: new Map(),
  });
  const lanes = [lane('onnx', ONNX_CASES), lane('python', PYTHON_CASES)];
  const t0 = performance.now();
  await Promise.all(lanes.map(runLane));
  lanes.forEach(printLane);
  const sum = (k: 'uncaught' | 'hangs' | 'over'): number => lanes.reduce((n, l) => n + l[k].length, 0);
  console.log(
    `\nseed ${SEED}, per-case limit ${TIMEOUT_MS / 1000} s, memory bound ${MEMORY_MB} MB per case (peak RSS of its process), ${((performance.now() - t0) / 1000).toFixed(0)} s in all`,
  );
  console.log(
    `RESULT fuzz onnx_cases=${ONNX_CASES} python_cases=${PYTHON_CASES} uncaught=${sum('uncaught')} hangs=${sum('hangs')} over_512mb=${sum('over')}`,
  );
  process.exitCode = sum('uncaught') + sum('hangs') + sum('over') > 0 ? 1 : 0;
}

void main();
