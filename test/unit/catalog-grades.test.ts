import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeEntries, gradeOfExcess, frontierExcess } from '../../src/catalog/grades';
import { catalogEntries } from '../../src/catalog/catalog';
import { buildCatalog, type CatalogInputs } from '../../src/catalog/build';
import calibration from '../../src/energy/data/inference-calibration.json';
import torchvision from '../../src/catalog/data/torchvision.json';

void test('frontier excess by hand: the cheapest model at least as accurate sets the bar', () => {
  const g = frontierExcess([
    { id: 'a', top1: 80, energyJ: 1 },
    { id: 'b', top1: 78, energyJ: 3 },
    { id: 'c', top1: 75, energyJ: 0.5 },
    { id: 'd', top1: 75, energyJ: 0.6 },
  ]);
  assert.equal(g.get('a')!.excess, 1);
  assert.equal(g.get('b')!.excess, 3);
  assert.equal(g.get('c')!.excess, 1);
  assert.equal(g.get('d')!.excess, 1.2);
  assert.deepEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((_, i) => gradeOfExcess([1, 1.5, 2, 3, 5, 8, 20][i]!)), ['A', 'B', 'C', 'D', 'E', 'F', 'G']);
});

void test('grading the committed catalog again, in another order, gives the committed grades', () => {
  const entries = catalogEntries();
  const shuffled = [...entries].reverse();
  const g = gradeEntries(shuffled);
  for (const e of entries) assert.equal(g.get(e.id)!.grade, e.grade, e.id);
  assert.ok(entries.some((e) => e.grade === 'A') && entries.some((e) => e.grade === 'G'));
});

const dataDir = join(__dirname, '..', '..', '..', 'shared', 'data', 'timm');
void test('regenerating the catalog twice from the source tables gives the same grades as committed', { skip: !existsSync(dataDir) && 'source tables not present' }, () => {
  const read = (f: string): string => readFileSync(join(dataDir, f), 'utf8');
  const inputs: CatalogInputs = {
    results: read('results-imagenet.csv'), rtx3090: read('benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'),
    rtx4090: read('benchmark-infer-amp-nchw-pt291-cu128-4090.csv'), cpu: read('benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo.csv'),
    torchvision: torchvision as CatalogInputs['torchvision'],
    calibration3090: calibration.devices.find((d) => d.id === 'rtx3090')! as CatalogInputs['calibration3090'],
  };
  const a = buildCatalog(inputs);
  const b = buildCatalog(inputs);
  assert.deepEqual(a.map((e) => [e.id, e.grade]), b.map((e) => [e.id, e.grade]));
  assert.deepEqual(a.map((e) => [e.id, e.grade]), catalogEntries().map((e) => [e.id, e.grade]));
});
