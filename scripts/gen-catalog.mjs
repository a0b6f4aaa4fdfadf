// Derives src/catalog/data/catalog.json from timm's results and benchmark tables in the sibling folder
// ../shared/data/timm (see its SOURCES.md) and torchvision's weight metadata in src/catalog/data/
// torchvision.json (made by scripts/gen-catalog-torchvision.py). The output is committed.
// Usage: node --import tsx scripts/gen-catalog.mjs [dataDir] [outFile]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../src/catalog/build.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data');
const outFile = process.argv[3] ?? join(root, 'src', 'catalog', 'data', 'catalog.json');
const timm = (f) => readFileSync(join(dataDir, 'timm', f), 'utf8');
const calibration = JSON.parse(readFileSync(join(root, 'src', 'energy', 'data', 'inference-calibration.json'), 'utf8'));

const entries = buildCatalog({
  results: timm('results-imagenet.csv'),
  rtx3090: timm('benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'),
  rtx4090: timm('benchmark-infer-amp-nchw-pt291-cu128-4090.csv'),
  cpu: timm('benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo.csv'),
  torchvision: JSON.parse(readFileSync(join(root, 'src', 'catalog', 'data', 'torchvision.json'), 'utf8')),
  calibration3090: calibration.devices.find((d) => d.id === 'rtx3090'),
});
// One entry per line keeps diffs of regenerated catalogs readable.
writeFileSync(outFile, '[\n' + entries.map((e) => JSON.stringify(e)).join(',\n') + '\n]\n');
console.log(`[gen-catalog] ${entries.length} entries -> ${outFile}`);
