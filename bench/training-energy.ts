// Benchmark of the training-energy estimators on the 369 measured runs of del Rey et al.:
// PRE (refitted by the same code as scripts/fit-training-energy.ts), Green Algorithms and ML CO2 Impact,
// under a seeded random 80/20 split and leave-one-architecture-out (LOAO). Prints RMSE (kJ) and MAPE, and
// beside them the coverage of the claimed 5–95 % bands: the share of measured runs inside their band and
// the median high/low ratio, under both protocols and on timm's training benchmark (RTX 3090, AMP), whose
// architectures are split in half: one half calibrates the compute-bound time, the other is scored; and
// of the device transfer that moves such a time to another GPU (RTX 3090 → RTX 4090, timm inference).
// Ends with one RESULT line. Reads the data from ../shared/data (or the folder given as argument).
// Usage: npm run bench:training-energy [-- dataDir]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../src/energy/csv';
import { delReyRuns, preGpu, type MeasuredRun } from '../src/energy/training-pre';
import {
  greenAlgorithmsPredictor,
  leaveOneArchitectureOut,
  mape,
  mlco2Predictor,
  preEpochPredictor,
  prePowerPredictor,
  randomSplit,
  rmse,
  type Predictor,
  timmTrainRows,
  coverage,
  prePowerBands,
  preEpochBands,
  leaveOneArchitectureOutBands,
  fitPreWithBands,
  type BandPredictor,
  type TimmTrainRow,
  timmTrainReference,
  ampRoof,
} from '../src/energy/training-eval';
import { fitDeviceTransfer, timmInferencePairs, transferTime } from '../src/energy/device-transfer';
import { predictRun } from '../src/energy/training-run';
import { quantile } from '../src/energy/linalg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data');
const SEED = 20230711;
const timmDir = join(dataDir, 'timm');
const timm = timmTrainRows(
  readFileSync(join(timmDir, 'benchmark-train-amp-nchw-pt112-cu113-rtx3090.csv'), 'utf8'),
  readFileSync(join(timmDir, 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'), 'utf8'),
);
const runs = delReyRuns(
  parseCsvRecords(
    readFileSync(join(dataDir, 'energy-training-del-rey', 'dl-training-energy-consumption-dataset.csv'), 'utf8'),
  ),
);

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
  return evaluate(
    `Random 80/20 split, seed ${SEED}`,
    preds,
    te.map((r) => r.energyJ),
  );
}

function loaoProtocol(): Map<string, number> {
  const preds = new Map(METHODS.map(([m, f]) => [m, leaveOneArchitectureOut(runs, f)] as [string, number[]]));
  const res = evaluate(
    'Leave one architecture out',
    preds,
    runs.map((r) => r.energyJ),
  );
  const pre = preds.get('PRE power × duration')!;
  for (const arch of [...new Set(runs.map((r: MeasuredRun) => r.architecture))].sort()) {
    const idx = runs.flatMap((r, i) => (r.architecture === arch ? [i] : []));
    console.log(
      `    held out ${arch.padEnd(14)} PRE RMSE ${(
        rmse(
          idx.map((i) => pre[i]!),
          idx.map((i) => runs[i]!.energyJ),
        ) / 1000
      ).toFixed(1)} kJ`,
    );
  }
  return res;
}

type Cov = { share: number; medianRatio: number };
const BAND_METHODS: [string, BandPredictor][] = [
  ['PRE power × duration', prePowerBands(timm)],
  ['PRE epoch (no duration)', preEpochBands(timm)],
];

function printCoverage(name: string, covs: [string, Cov][]): void {
  console.log(`\n${name}: coverage of the 5–95 % band`);
  for (const [m, c] of covs)
    console.log(
      `  ${m.padEnd(26)} inside ${(100 * c.share).toFixed(1).padStart(5)} %   median high/low ${c.medianRatio.toFixed(2)}`,
    );
}

function coverageProtocols(): { rnd: Cov; loao: Cov; rndPow: Cov; loaoPow: Cov } {
  const { train, test } = randomSplit(runs.length, SEED, 0.2);
  const tr = train.map((i) => runs[i]!);
  const te = test.map((i) => runs[i]!);
  const rnd = BAND_METHODS.map(
    ([m, f]) =>
      [
        m,
        coverage(
          f(tr, te),
          te.map((r) => r.energyJ),
        ),
      ] as [string, Cov],
  );
  printCoverage(`Random 80/20 split, seed ${SEED}`, rnd);
  const loaoBands = BAND_METHODS.map(([m, f]) => [m, leaveOneArchitectureOutBands(runs, f)] as const);
  const loao = loaoBands.map(
    ([m, b]) =>
      [
        m,
        coverage(
          b,
          runs.map((r) => r.energyJ),
        ),
      ] as [string, Cov],
  );
  printCoverage('Leave one architecture out', loao);
  // Per held-out architecture: where the band is wide, and why (the median error of the time regressor on
  // that architecture, which no GFLOPs-based model of the other four predicts).
  const before = loaoBands[1]![1];
  for (const arch of [...new Set(runs.map((r) => r.architecture))].sort()) {
    const idx = runs.flatMap((r, i) => (r.architecture === arch ? [i] : []));
    const c = coverage(
      idx.map((i) => before[i]!),
      idx.map((i) => runs[i]!.energyJ),
    );
    const err = quantile(
      idx.map((i) => Math.log(runs[i]!.energyJ / before[i]!.value)),
      0.5,
    );
    console.log(
      `    held out ${arch.padEnd(14)} before training: inside ${(100 * c.share).toFixed(1).padStart(5)} %   median high/low ${c.medianRatio.toFixed(2).padStart(5)}   median actual/predicted ×${Math.exp(err).toFixed(2)}`,
    );
  }
  return { rndPow: rnd[0]![1], rnd: rnd[1]![1], loaoPow: loao[0]![1], loao: loao[1]![1] };
}

/** Epoch-time bands for the held-out half of timm's training benchmark, with the model calibrated on the other half. */
function timmCoverage(): Cov {
  const { train, test } = randomSplit(timm.length, SEED, 0.5);
  const model = fitPreWithBands(
    runs,
    train.map((i) => timm[i]!),
  );
  const gpu = preGpu('RTX 3090')!;
  const held: TimmTrainRow[] = test.map((i) => timm[i]!);
  const images = 10_000;
  const bands = held.map(
    (r) =>
      predictRun(model, {
        fwdGflops: r.fwdGflops,
        mactsM: r.mactsM,
        fitGflops: r.fwdGflops,
        imagesPerEpoch: images,
        gpu,
        gpus: 1,
        precision: 'amp',
        batch: r.batch,
        imageSize: r.imageSize,
      }).epochSeconds,
  );
  const c = coverage(
    bands,
    held.map((r) => images / r.samplesPerSec),
  );
  printCoverage(`timm training benchmark, RTX 3090 AMP, ${held.length} held-out architectures (epoch time)`, [
    ['PRE epoch (no duration)', c],
  ]);
  return c;
}

/**
 * The device transfer: fitted on half of the architectures that timm's inference benchmark measured on
 * both an RTX 3090 and an RTX 4090, and scored on the other half (the 4090's time predicted from the
 * 3090's). Beside it, scaling by the dense peak alone, as a time without the transfer would be.
 */
function transferCoverage(): Cov & { medianErr: number; peakOnlyErr: number } {
  const pairs = timmInferencePairs(
    readFileSync(join(timmDir, 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'), 'utf8'),
    readFileSync(join(timmDir, 'benchmark-infer-amp-nchw-pt291-cu128-4090.csv'), 'utf8'),
  );
  const { train, test } = randomSplit(pairs.length, SEED, 0.5);
  const from = timmTrainReference();
  const to = ampRoof('RTX 4090');
  const fit = fitDeviceTransfer(
    train.map((i) => pairs[i]!),
    from,
    to,
    'bench',
  );
  const held = test.map((i) => pairs[i]!);
  const bands = held.map((p) => transferTime(fit, from, to, p.fwdGflops, p.mactsM));
  const actual = held.map((p) => 1 / p.speedRatio);
  const c = coverage(bands, actual);
  const medianErr = Math.exp(
    quantile(
      held.map((p, i) => Math.log(actual[i]! / bands[i]!.value)),
      0.5,
    ),
  );
  const peakOnlyErr = Math.exp(
    quantile(
      held.map((_, i) => Math.log(actual[i]! / (from.peakTflops / to.peakTflops))),
      0.5,
    ),
  );
  printCoverage(
    `Device transfer RTX 3090 → RTX 4090 (timm inference, AMP), ${held.length} held-out architectures (time ratio)`,
    [['roofline transfer', c]],
  );
  console.log(
    `  median actual/predicted time: roofline ×${medianErr.toFixed(2)}, dense peak alone ×${peakOnlyErr.toFixed(2)}`,
  );
  return { ...c, medianErr, peakOnlyErr };
}

const t0 = performance.now();
const rnd = randomProtocol();
const loao = loaoProtocol();
const get = (m: Map<string, number>, k: string): number => m.get(k) ?? Number.NaN;
const preR = get(rnd, 'PRE power × duration');
const gaR = get(rnd, 'Green Algorithms');
const preL = get(loao, 'PRE power × duration');
const gaL = get(loao, 'Green Algorithms');
const cov = coverageProtocols();
const tc = timmCoverage();
const xfer = transferCoverage();
console.log(
  `\nratio PRE/GA: random ${(preR / gaR).toFixed(3)}, LOAO ${(preL / gaL).toFixed(3)} (target ≤ 0.2 under both); ${Math.round(performance.now() - t0)} ms`,
);
console.log(
  `RESULT training-energy pre_rmse_kj_random=${preR.toFixed(1)} ga_rmse_kj_random=${gaR.toFixed(1)} pre_rmse_kj_loao=${preL.toFixed(1)} ga_rmse_kj_loao=${gaL.toFixed(1)} ratio_loao=${(preL / gaL).toFixed(3)} cov_random=${cov.rnd.share.toFixed(3)} cov_loao=${cov.loao.share.toFixed(3)} cov_power_random=${cov.rndPow.share.toFixed(3)} cov_power_loao=${cov.loaoPow.share.toFixed(3)} cov_timm=${tc.share.toFixed(3)} band_ratio_random=${cov.rnd.medianRatio.toFixed(2)} band_ratio_loao=${cov.loao.medianRatio.toFixed(2)} band_ratio_timm=${tc.medianRatio.toFixed(2)} cov_transfer=${xfer.share.toFixed(3)} band_ratio_transfer=${xfer.medianRatio.toFixed(2)} transfer_err=${xfer.medianErr.toFixed(2)} peak_only_err=${xfer.peakOnlyErr.toFixed(2)}`,
);
