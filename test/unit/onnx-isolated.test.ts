/**
 * The isolated ONNX inspector: summaries and typed errors cross the thread boundary unchanged, and a file
 * that exhausts the worker's memory or time ends only the worker, which the next request replaces.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OnnxReadError, inspectOnnxFile } from '../../src/analyzers/onnx/index';
import { OnnxInspector } from '../../src/analyzers/onnx/isolated';
import { OnnxLimitError } from '../../src/analyzers/onnx/limits';
import { buildModel } from './helpers/models';

let dir = '';
const files = { good: '', amplified: '', heavy: '' };

/** A model whose graph is `count` copies of one encoded field. */
function repeatedGraph(entry: Buffer, count: number): Buffer {
  const body = Buffer.alloc(entry.length * count);
  for (let i = 0; i < count; i++) entry.copy(body, i * entry.length);
  const len: number[] = [];
  for (let n = body.length; ; n = Math.floor(n / 128)) {
    len.push((n & 0x7f) | (n >= 128 ? 0x80 : 0));
    if (n < 128) break;
  }
  return Buffer.concat([Buffer.from([0x3a, ...len]), body]);
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'greenlens-onnx-iso-'));
  files.good = path.join(dir, 'good.onnx');
  writeFileSync(
    files.good,
    buildModel({
      inputs: [['x', 1, ['N', 4]]],
      outputs: [['y', 1, ['N', 4]]],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    }),
  );
  files.amplified = path.join(dir, 'amplified.onnx');
  writeFileSync(files.amplified, repeatedGraph(Buffer.from([0x0a, 0x00]), 10_000_000));
  // Within every cap (299,999 Relu nodes with names), but its summary needs far more than 64 MB.
  files.heavy = path.join(dir, 'heavy.onnx');
  const node = Buffer.from([0x0a, 0x0c, 0x0a, 0x01, 0x78, 0x12, 0x01, 0x79, 0x22, 0x04, 0x52, 0x65, 0x6c, 0x75]);
  writeFileSync(files.heavy, repeatedGraph(node, 299_999));
});
after(() => rmSync(dir, { recursive: true, force: true }));

void test('a summary from the worker equals the in-process one', async () => {
  const inspector = new OnnxInspector();
  try {
    assert.deepEqual(await inspector.inspect(files.good, { batch: 3 }), inspectOnnxFile(files.good, { batch: 3 }));
  } finally {
    await inspector.dispose();
  }
});

void test('the amplification file comes back as the OnnxLimitError naming the node cap', async () => {
  const inspector = new OnnxInspector();
  try {
    await assert.rejects(
      inspector.inspect(files.amplified),
      (e: unknown) => e instanceof OnnxLimitError && e.limit === 'nodes' && /reader limit "nodes"/.test(e.message),
    );
    assert.equal((await inspector.inspect(files.good)).structure.nodeCount, 1);
    assert.equal(inspector.started, 1);
  } finally {
    await inspector.dispose();
  }
});

void test("a file that exhausts the worker's memory ends only the worker; the next request gets a fresh one", async () => {
  const inspector = new OnnxInspector({ memoryLimitMb: 64 });
  try {
    await assert.rejects(
      inspector.inspect(files.heavy),
      (e: unknown) =>
        e instanceof OnnxReadError && e.code === 'too-large' && /needed more than 64 MB of memory/.test(e.message),
    );
    assert.equal((await inspector.inspect(files.good)).structure.nodeCount, 1);
    assert.equal(inspector.started, 2);
  } finally {
    await inspector.dispose();
  }
});

void test('an inspection past the time limit is stopped, and requests queued behind it still run', async () => {
  const inspector = new OnnxInspector({ timeoutMs: 1 });
  try {
    const slow = inspector.inspect(files.heavy);
    const next = inspector.inspect(files.good);
    await assert.rejects(slow, /took longer than 0\.001 s/);
    // The queued request ran on a fresh worker (and, with a 1 ms limit, most likely timed out too).
    await next.then(
      () => undefined,
      () => undefined,
    );
    assert.equal(inspector.started, 2);
  } finally {
    await inspector.dispose();
  }
});
