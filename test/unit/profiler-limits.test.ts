/**
 * Durations past setTimeout's limit (2^31 - 1 ms) are clamped, not fired at once: a variant timeout of
 * 10^12 ms used to fail every variant immediately as "took longer than …".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { profileModel } from '../../src/profiler/index';

const ROOT = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'gl-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void test('a variant timeout beyond the timer limit still lets the variant be measured', async () => {
  const res = await profileModel({
    modelPath: path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx'),
    storageDir: path.join(dir, 'store'),
    variants: '',
    budgetMs: 300,
    threads: 1,
    variantTimeoutMs: 1e12,
  });
  assert.deepEqual(
    res.variants.map((v) => [v.id, v.status, v.reason]),
    [['baseline', 'measured', undefined]],
  );
});
