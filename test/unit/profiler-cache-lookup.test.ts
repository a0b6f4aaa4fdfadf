/**
 * Finding a cached measurement by model and machine alone: the newest measured baseline of that model on
 * that machine wins, whatever settings it was run with; other machines, other models, other variants,
 * failed runs and entries written without a description are skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ResultCache, type CacheEntryMeta } from '../../src/profiler/cache';
import type { MachineFingerprint, VariantResult } from '../../src/profiler/types';

const dir = mkdtempSync(path.join(tmpdir(), 'gl-cache-lookup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HERE: MachineFingerprint = {
  cpu: 'CPU A',
  cores: 4,
  memoryBytes: 8 * 2 ** 30,
  platform: 'linux',
  arch: 'x64',
  ortVersion: '1.0.0',
};
const result = (value: number, status: VariantResult['status'] = 'measured'): VariantResult => ({
  id: 'baseline',
  kind: 'baseline',
  label: 'fp32 baseline',
  status,
  notes: [],
  energy: {
    meter: 'estimate:cpu-time',
    perInference: {
      value,
      low: value,
      high: value,
      unit: 'J',
      provenance: 'estimated',
      method: 'm',
      sources: [],
      notes: [],
    },
  },
});
const meta = (writtenAt: string, over: Partial<CacheEntryMeta> = {}): CacheEntryMeta => ({
  modelSha256: 'a'.repeat(64),
  variantId: 'baseline',
  variantKind: 'baseline',
  machine: HERE,
  settings: { budget: 2000 },
  writtenAt,
  ...over,
});

void test('the newest measured baseline of the model on this machine is found; everything else is skipped', () => {
  const cache = new ResultCache(dir);
  assert.equal(cache.latestMeasured('a'.repeat(64), HERE), undefined);
  cache.put('old', result(1), meta('2026-01-01T00:00:00.000Z', { settings: { budget: 60_000 } }));
  cache.put('new', result(2), meta('2026-02-01T00:00:00.000Z'));
  cache.put('failed', result(3, 'error'), meta('2026-03-01T00:00:00.000Z'));
  cache.put('elsewhere', result(4), meta('2026-04-01T00:00:00.000Z', { machine: { ...HERE, cores: 8 } }));
  cache.put('other-model', result(5), meta('2026-05-01T00:00:00.000Z', { modelSha256: 'b'.repeat(64) }));
  cache.put(
    'variant',
    result(6),
    meta('2026-06-01T00:00:00.000Z', { variantId: 'int8-dynamic', variantKind: 'int8-dynamic' }),
  );
  cache.put('undescribed', result(7));
  const found = cache.latestMeasured('a'.repeat(64), HERE);
  assert.equal(found?.result.energy?.perInference.value, 2);
  assert.equal(found?.meta.writtenAt, '2026-02-01T00:00:00.000Z');
  assert.equal(new ResultCache(path.join(dir, 'missing')).latestMeasured('a'.repeat(64), HERE), undefined);
});
