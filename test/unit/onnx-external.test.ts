import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, ftruncateSync, closeSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectOnnxFile } from '../../src/analyzers/onnx/index';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';

const K = 32768;
const N = 16384;
const W_BYTES = K * N * 4; // 2 GiB exactly

function external(name: string, dims: number[], offset: number, length: number): onnx.TensorProto.$Properties {
  const kv = (key: string, value: string): onnx.StringStringEntryProto.$Properties => ({ key, value });
  return {
    name,
    dims,
    dataType: 1,
    dataLocation: 1,
    externalData: [kv('location', 'weights.bin'), kv('offset', String(offset)), kv('length', String(length))],
  };
}

void test('a model over 2 GB with external data is summarised without reading its weights', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-ext-'));
  try {
    // A sparse weights file: its size says 2 GiB + 64 KiB, but no block is ever written.
    const fd = openSync(path.join(dir, 'weights.bin'), 'w');
    ftruncateSync(fd, W_BYTES + N * 4);
    closeSync(fd);
    const model = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'big',
        input: [
          {
            name: 'x',
            type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: K }] } } },
          },
        ],
        output: [
          {
            name: 'y',
            type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: N }] } } },
          },
        ],
        initializer: [external('W', [K, N], 0, W_BYTES), external('B', [N], W_BYTES, N * 4)],
        node: [
          { opType: 'MatMul', input: ['x', 'W'], output: ['h'] },
          { opType: 'Add', input: ['h', 'B'], output: ['y'] },
        ],
      },
    }).finish();
    const file = path.join(dir, 'model.onnx');
    writeFileSync(file, model);
    assert.ok(statSync(path.join(dir, 'weights.bin')).size > 2 ** 31);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const s = inspectOnnxFile(file, { batch: 4 });
    const ms = performance.now() - t0;
    assert.equal(s.structure.parameters.count, K * N + N);
    assert.equal(s.structure.parameters.bytes, W_BYTES + N * 4);
    assert.deepEqual(s.structure.externalData, [{ location: 'weights.bin', tensors: 2, bytes: W_BYTES + N * 4 }]);
    assert.equal(s.cost.macs, 4 * K * N);
    assert.deepEqual(s.outputs[0]?.resolvedShape, [4, N]);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    assert.ok(process.memoryUsage().rss - rssBefore < 64 * 2 ** 20, 'memory grew as if weights were read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
