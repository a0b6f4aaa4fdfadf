import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { OnnxReadError, inspectOnnxBytes } from '../../src/analyzers/onnx/index';
import { testModel } from './helpers/models';
import { seededRandom as prng } from '../../src/random';
import { mutateOnnx, onnxCase, realModels } from '../fuzz/cases';

// The three mutations every reader path must survive; the fuzz cases add splices, zeroed runs and
// amplification on top.
type Mutation = 'truncate' | 'bitflip' | 'length';
const mutate: (bytes: Uint8Array, rnd: () => number, kind: Mutation) => Uint8Array = mutateOnnx;

function corpusSample(limit: number): Uint8Array[] {
  const root = '/usr/share/libonnx-testdata/data/node';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((_, i) => i % 7 === 0)
    .slice(0, limit)
    .map((d) => path.join(root, d, 'model.onnx'))
    .filter(existsSync)
    .map((f) => readFileSync(f));
}

interface Tally {
  ok: number;
  typed: number;
  slowestMs: number;
}

function fuzz(models: Uint8Array[], variants: number, seed: number): Tally {
  const rnd = prng(seed);
  const kinds: Mutation[] = ['truncate', 'bitflip', 'length'];
  const tally: Tally = { ok: 0, typed: 0, slowestMs: 0 };
  for (let i = 0; i < variants; i++) {
    const model = models[i % models.length] as Uint8Array;
    const bytes = mutate(model, rnd, kinds[i % 3] as Mutation);
    const t0 = performance.now();
    try {
      inspectOnnxBytes(bytes, { batch: 2 });
      tally.ok++;
    } catch (err) {
      if (!(err instanceof OnnxReadError))
        assert.fail(`variant ${i} (seed ${seed}): untyped ${(err as Error)?.stack ?? String(err)}`);
      assert.ok(
        err.message.length > 10 && !/undefined|NaN/.test(err.message),
        `variant ${i}: unhelpful message "${err.message}"`,
      );
      tally.typed++;
    }
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - t0);
  }
  return tally;
}

void test('9,000 corrupted variants of corpus models: only typed errors, none slow', (ctx) => {
  const models = corpusSample(150);
  if (!models.length) return ctx.skip('libonnx-testdata is not installed');
  const t = fuzz(models, 9000, 1234);
  ctx.diagnostic(`summarised ${t.ok}, rejected ${t.typed}, slowest ${t.slowestMs.toFixed(1)} ms`);
  assert.equal(t.ok + t.typed, 9000);
  assert.ok(t.typed > 1000, `only ${t.typed} variants were rejected: the mutations are too gentle`);
  assert.ok(t.slowestMs < 2000, `a variant took ${t.slowestMs.toFixed(0)} ms`);
});

void test('1,200 corrupted variants of real models (Constant-node weights, If/Loop subgraphs)', (t) => {
  const files = ['ppocr-cls.onnx', 'blazeface.onnx', 'silero-vad.onnx'].map((f) => testModel(t, f));
  if (files.some((f) => !f)) return;
  const tally = fuzz(
    files.map((f) => readFileSync(f as string)),
    1200,
    99,
  );
  t.diagnostic(`summarised ${tally.ok}, rejected ${tally.typed}, slowest ${tally.slowestMs.toFixed(1)} ms`);
  assert.equal(tally.ok + tally.typed, 1200);
  assert.ok(tally.slowestMs < 5000, `a variant took ${tally.slowestMs.toFixed(0)} ms`);
});

/** Cases run until `count` or until `budgetMs` has passed, whichever comes first, so the suite stays bounded. */
function fuzzReal(
  models: { name: string; bytes: Uint8Array }[],
  count: number,
  seed: number,
  budgetMs: number,
): Tally & { ran: number } {
  const tally = { ok: 0, typed: 0, slowestMs: 0, ran: 0 };
  const start = performance.now();
  for (let i = 0; i < count && performance.now() - start < budgetMs; i++) {
    const c = onnxCase(models, seed, i);
    const t0 = performance.now();
    try {
      inspectOnnxBytes(c.bytes, { batch: 2 });
      tally.ok++;
    } catch (err) {
      if (!(err instanceof OnnxReadError)) assert.fail(`${c.label}: untyped ${(err as Error)?.stack ?? String(err)}`);
      assert.ok(
        err.message.length > 10 && !/undefined|NaN/.test(err.message),
        `${c.label}: unhelpful message "${err.message}"`,
      );
      tally.typed++;
    }
    tally.ran++;
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - t0);
  }
  return tally;
}

void test('2,000 mutants of every cached real model (cut, flipped, spliced, zeroed, amplified), seeded and time-bounded', (t) => {
  const models = realModels();
  const wanted = ['ppocr-cls.onnx', 'blazeface.onnx', 'silero-vad.onnx'];
  for (const f of wanted) if (!testModel(t, f)) return;
  const tally = fuzzReal(models, 2000, 2026, 120_000);
  t.diagnostic(
    `${tally.ran} mutants of ${models.length} models: summarised ${tally.ok}, rejected ${tally.typed}, slowest ${tally.slowestMs.toFixed(1)} ms`,
  );
  assert.equal(tally.ok + tally.typed, tally.ran);
  assert.ok(tally.ran > 0);
});
