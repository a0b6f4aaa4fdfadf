/**
 * Parallel runs share the cache and storage folders: while several processes write the same cache entry
 * or build the same variant file, a reader sees a complete file every time, never a half-written one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ResultCache } from '../../src/profiler/cache';
import { decodeModel } from '../../src/profiler/variants/graph';

const ROOT = path.join(__dirname, '..', '..');
/** Float32 values per cache entry: 8 MB, long enough to write that a reader meets a write in progress. */
const OUTPUT_VALUES = 2 * 1024 * 1024;
const WRITER = path.join(__dirname, 'helpers', 'parallelWriter.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'gl-writes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writers; resolves with their exit codes once all have ended. */
function writers(argsOf: (i: number) => string[], n: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...argsOf(i)], {
            cwd: ROOT,
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.on('close', (code) => resolve(code ?? -1));
        }),
    ),
  );
}

/** Calls `read` until `done` settles; returns how many reads there were and the problems they found. */
async function readWhile(
  done: Promise<unknown>,
  read: () => string | undefined,
): Promise<{ reads: number; problems: string[] }> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const problems: string[] = [];
  let reads = 0;
  while (!finished) {
    const p = read();
    if (p !== undefined) problems.push(p);
    reads += 1;
    // Let the event loop see the writers' exit.
    await new Promise((r) => setImmediate(r));
  }
  return { reads, problems };
}

void test('a cache entry written by three processes at once is always read whole', async () => {
  const cacheDir = path.join(dir, 'cache');
  const done = writers((i) => ['cache', cacheDir, 'k', String(i + 1), '15', String(OUTPUT_VALUES)], 3);
  const cache = new ResultCache(cacheDir);
  const { reads, problems } = await readWhile(done, () => {
    const o = cache.getOutputs('k');
    if (!o) return undefined;
    if (o.data.length !== OUTPUT_VALUES) return `read ${o.data.length} of ${OUTPUT_VALUES} values`;
    const first = o.data[0];
    return o.data.every((v) => v === first) ? undefined : 'values of two writers in one read';
  });
  assert.deepEqual(await done, [0, 0, 0]);
  assert.ok(reads > 0);
  assert.deepEqual(problems.slice(0, 3), [], `${problems.length} torn reads of ${reads}`);
  assert.deepEqual(
    readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );
});

void test('a variant built by three processes at once always parses', async () => {
  const storage = path.join(dir, 'store');
  const model = path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx');
  const done = writers(() => ['variant', model, storage, '12'], 3);
  const { reads, problems } = await readWhile(done, () => {
    const file = existsSync(storage) ? readdirSync(storage).find((f) => f.endsWith('.onnx')) : undefined;
    if (!file) return undefined;
    try {
      decodeModel(readFileSync(path.join(storage, file)));
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  });
  assert.deepEqual(await done, [0, 0, 0]);
  assert.ok(reads > 0);
  assert.deepEqual(problems.slice(0, 3), [], `${problems.length} torn reads of ${reads}`);
  assert.deepEqual(
    readdirSync(storage).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );
});
