// Benchmark of the training-energy estimators on the 369 measured runs of del Rey et al.:
// PRE (refitted by the same code as scripts/fit-training-energy.ts), Green Algorithms and ML CO2 Impact,
// under a seeded random 80/20 split and leave-one-architecture-out (LOAO). Prints RMSE (kJ) and MAPE and
// ends with one RESULT line. Reads the data from ../shared/data (or the folder given as argument).
// Usage: npm run bench:training-energy [-- dataDir]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../src/energy/csv';
import { delReyRuns, type MeasuredRun } from '../src/energy/training-pre';
import {
  greenAlgorithmsPredictor, leaveOneArchitectureOut, mape, mlco2Predictor, preEpochPredictor, prePowerPredictor,
  randomSplit, rmse, type Predictor,
} from '../src/energy/training-eval';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data');
const SEED = 20230711;
const runs = delReyRuns(parseCsvRecords(readFileSync(join(dataDir, 'energy-training-del-rey', 'dl-training-energy-consumption-dataset.csv'), 'utf8')));

const METHODS: [string, Predictor][] = [
  ['PRE power × duration', prePowerPredictor],
  ['PRE epoch (no duration)', preEpochPredictor],
  ['Green Algorithms', greenAlgorithmsPredictor],
  ['ML CO2 Impact', mlco2Predictor],
];

function evaluate(name: string, preds: Map<string, number[]>, actual: number[]): Map<string, number> {
  console.log(`\n${name} (${actual.length} runs)`);
  console.log(`  ${'method'.padEnd(26)} ${'RMSE kJ'.padStart(9)} ${'MAPE %'.padStart(8)}`);
  const out = new Map<string, number>();
  for (const [m, p] of preds) {
    const r = rmse(p, actual) / 1000;
    out.set(m, r);
    console.log(`  ${m.padEnd(26)} ${r.toFixed(1).padStart(9)} ${mape(p, actual).toFixed(1).padStart(8)}`);
  }
  return out;
}

function randomProtocol(): Map<string, number> {
  const { train, test } = randomSplit(runs.length, SEED, 0.2);
  const tr = train.map((i) => runs[i]!);
  const te = test.map((i) => runs[i]!);
  const preds = new Map(METHODS.map(([m, f]) => [m, f(tr, te)] as [string, number[]]));
  return evaluate(`Random 80/20 split, seed ${SEED}`, preds, te.map((r) => r.energyJ));
}

function loaoProtocol(): Map<string, number> {
  const preds = new Map(METHODS.map(([m, f]) => [m, leaveOneArchitectureOut(runs, f)] as [string, number[]]));
  const res = evaluate('Leave one architecture out', preds, runs.map((r) => r.energyJ));
  const pre = preds.get('PRE power × duration')!;
  for (const arch of [...new Set(runs.map((r: MeasuredRun) => r.architecture))].sort()) {
    const idx = runs.flatMap((r, i) => (r.architecture === arch ? [i] : []));
    console.log(`    held out ${arch.padEnd(14)} PRE RMSE ${(rmse(idx.map((i) => pre[i]!), idx.map((i) => runs[i]!.energyJ)) / 1000).toFixed(1)} kJ`);
  }
  return res;
}

const t0 = performance.now();
const rnd = randomProtocol();
const loao = loaoProtocol();
const get = (m: Map<string, number>, k: string): number => m.get(k) ?? Number.NaN;
const preR = get(rnd, 'PRE power × duration');
const gaR = get(rnd, 'Green Algorithms');
const preL = get(loao, 'PRE power × duration');
const gaL = get(loao, 'Green Algorithms');
console.log(`\nratio PRE/GA: random ${(preR / gaR).toFixed(3)}, LOAO ${(preL / gaL).toFixed(3)} (target ≤ 0.2 under both); ${Math.round(performance.now() - t0)} ms`);
console.log(`RESULT training-energy pre_rmse_kj_random=${preR.toFixed(1)} ga_rmse_kj_random=${gaR.toFixed(1)} pre_rmse_kj_loao=${preL.toFixed(1)} ga_rmse_kj_loao=${gaL.toFixed(1)} ratio_loao=${(preL / gaL).toFixed(3)}`);
