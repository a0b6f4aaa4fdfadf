// Fits the PRE training-energy regressors (src/energy/training-pre.ts) on the 369 measured runs of
// del Rey et al. (the compute-share model on timm's training benchmark, and its device transfer on timm's inference benchmarks) and writes src/energy/data/training-pre-model.json, which is committed. The fitting code
// is fitPreWithBands in src/energy/training-eval.ts, the same code bench/training-energy.ts evaluates.
// Usage: node --import tsx scripts/fit-training-energy.mjs [dataDir] [outFile]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords } from '../src/energy/csv.ts';
import { delReyRuns } from '../src/energy/training-pre.ts';
import { fitPreWithBands, fitTimmTransfer, timmTrainRows } from '../src/energy/training-eval.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data');
const outFile = process.argv[3] ?? join(root, 'src', 'energy', 'data', 'training-pre-model.json');

const csv = readFileSync(
  join(dataDir, 'energy-training-del-rey', 'dl-training-energy-consumption-dataset.csv'),
  'utf8',
);
const runs = delReyRuns(parseCsvRecords(csv));
// timm's mixed-precision training benchmark calibrates the share of peak that training reaches.
const timm = timmTrainRows(
  readFileSync(join(dataDir, 'timm', 'benchmark-train-amp-nchw-pt112-cu113-rtx3090.csv'), 'utf8'),
  readFileSync(join(dataDir, 'timm', 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'), 'utf8'),
);
// timm's inference benchmarks of the same architectures on an RTX 3090 and an RTX 4090 calibrate how a
// time moves from the benchmark's GPU to another (peak against memory bandwidth).
const transfer = fitTimmTransfer(
  readFileSync(join(dataDir, 'timm', 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'), 'utf8'),
  readFileSync(join(dataDir, 'timm', 'benchmark-infer-amp-nchw-pt291-cu128-4090.csv'), 'utf8'),
);
const model = fitPreWithBands(runs, timm, transfer);
writeFileSync(outFile, JSON.stringify(model, null, 1) + '\n');
console.log(`[fit-training-energy] ${runs.length} runs -> ${outFile}`);
console.log(
  `  power band (LOAO, log actual/pred): ${model.powerBand.p05.toFixed(3)} .. ${model.powerBand.p95.toFixed(3)}`,
);
console.log(`  epoch-time band (LOAO): ${model.timeBand.p05.toFixed(3)} .. ${model.timeBand.p95.toFixed(3)}`);
console.log(
  `  device transfer (${transfer.n} architectures): logit f = ${transfer.withActs.coef.map((c) => c.toFixed(3)).join(', ')}; band ${transfer.withActs.p05.toFixed(3)} .. ${transfer.withActs.p95.toFixed(3)}`,
);
