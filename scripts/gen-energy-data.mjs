// Derives the hardware, carbon-intensity and inference-calibration tables of src/energy/data from the
// public data in the sibling folder ../shared/data (see its SOURCES.md). The output is committed, so the
// build and the packaged extension never read that folder.
// Usage: node --import tsx scripts/gen-energy-data.mjs [dataDir] [outDir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveEnergyData } from '../src/energy/derive.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.argv[2] ?? join(root, '..', 'shared', 'data');
const outDir = process.argv[3] ?? join(root, 'src', 'energy', 'data');

mkdirSync(outDir, { recursive: true });
const tables = deriveEnergyData((p) => readFileSync(join(dataDir, p), 'utf8'));
for (const [name, data] of Object.entries(tables))
  writeFileSync(join(outDir, name), JSON.stringify(data, null, 1) + '\n');
console.log(`[gen-energy-data] wrote ${Object.keys(tables).join(', ')} to ${outDir}`);
