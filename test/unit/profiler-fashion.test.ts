/**
 * Real accuracy: the Fashion-MNIST MLP (trained on real data, examples/) on the real labelled test set.
 * Dynamic and static int8 must stay within 1 point of fp32 top-1, and the results carry both numbers.
 */
import assert from 'node:assert/strict';

import * as path from 'node:path';
import { test } from 'node:test';
import { profileModel, type ProfileProgress } from '../../src/profiler/index';
import { tempDir } from './helpers/tempDir';

const ROOT = path.join(__dirname, '..', '..');

void test('int8 dynamic and static stay within 1 point of fp32 on the real Fashion-MNIST test set; cache hits on re-run', async () => {
  const dir = tempDir('gl-fashion-');
  const events: ProfileProgress[] = [];
  const opts = {
    modelPath: path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx'),
    storageDir: path.join(dir, 'store'),
    cacheDir: path.join(dir, 'cache'),
    variants: 'int8-dynamic,int8-static',
    inputs: { datasetDir: path.join(ROOT, 'examples', 'data', 'fashion-mnist-test') },
    budgetMs: 1500,
    onProgress: (p: ProfileProgress) => events.push(p),
  };
  const res = await profileModel(opts);
  const base = res.variants.find((v) => v.id === 'baseline');
  const fp32 = base?.accuracy?.accuracy;
  assert.ok(fp32 !== undefined && fp32 > 0.85, `fp32 top-1 ${fp32}`);
  assert.equal(res.inputs.source, 'dataset');
  assert.ok(res.inputs.labelled);
  for (const id of ['int8-dynamic', 'int8-static']) {
    const v = res.variants.find((x) => x.id === id);
    assert.equal(v?.status, 'measured', `${id}: ${v?.reason}`);
    const acc = v?.accuracy;
    assert.equal(acc?.samples, 1000);
    assert.equal(acc?.baselineAccuracy, fp32, 'both numbers are in the result');
    assert.ok(Math.abs((acc?.accuracy ?? 0) - fp32) <= 0.01, `${id} ${acc?.accuracy} vs fp32 ${fp32}`);
    assert.ok((acc?.top1Agreement ?? 0) > 0.97);
    assert.ok(
      (v?.metrics?.fileBytes ?? Infinity) < (base?.metrics?.fileBytes ?? 0) / 3,
      'int8 weights are about 4× smaller',
    );
    assert.ok(v?.modelPath?.startsWith(path.join(dir, 'store')), 'variants go to the storage dir');
  }
  assert.deepEqual(
    events.filter((e) => e.type === 'variant-started').map((e) => (e as { id: string }).id),
    ['baseline', 'int8-dynamic', 'int8-static'],
  );
  assert.ok(events.some((e) => e.type === 'variant-phase' && e.phase === 'measuring'));
  assert.equal(events.at(-1)?.type, 'run-finished');
  const again = await profileModel(opts);
  assert.ok(
    again.variants.every((v) => v.cached),
    'second run is served from the cache',
  );
  assert.equal(again.variants[1]?.accuracy?.accuracy, res.variants[1]?.accuracy?.accuracy);
});
