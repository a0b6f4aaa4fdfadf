import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { OnnxReadError, inspectOnnxFile, readModelFile } from '../../src/analyzers/onnx/index';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';
import { CORPUS, findModels } from './helpers/models';

function pbDims(file: string): number[] | undefined {
  try {
    return onnx.TensorProto.decode(readFileSync(file)).dims.map(Number);
  } catch {
    return undefined;
  }
}

void test(
  'every model of libonnx-testdata is read and summarised, or rejected with a typed error',
  { skip: !existsSync(CORPUS) && 'libonnx-testdata is not installed' },
  (t) => {
    const models = findModels(CORPUS);
    assert.ok(models.length >= 1000, `expected the 1,072 corpus models, found ${models.length}`);
    let read = 0;
    let compared = 0;
    const mismatches: string[] = [];
    for (const file of models) {
      try {
        const m = readModelFile(file);
        read++;
        const dataDir = path.join(path.dirname(file), 'test_data_set_0');
        const inits = new Set(m.graph.initializers.map((t) => t.name));
        const dims: Record<string, number> = {};
        m.graph.inputs
          .filter((v) => !inits.has(v.name))
          .forEach((v, i) =>
            pbDims(path.join(dataDir, `input_${i}.pb`))?.forEach((d, axis) => (dims[`${v.name}:${axis}`] = d)),
          );
        const s = inspectOnnxFile(file, { dims });
        s.outputs.forEach((o, i) => {
          const expected = pbDims(path.join(dataDir, `output_${i}.pb`));
          const got = o.resolvedShape;
          if (!expected || !got || got.some((d) => d === null)) return;
          compared++;
          if (JSON.stringify(got) !== JSON.stringify(expected))
            mismatches.push(
              `${path.relative(CORPUS, file)} ${o.name}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`,
            );
        });
      } catch (err) {
        assert.ok(err instanceof OnnxReadError, `${file}: untyped ${(err as Error).stack}`);
        assert.ok(err.message.length > 10);
      }
    }
    t.diagnostic(`${models.length} models, ${read} read, ${compared} output shapes compared with the stored outputs`);
    assert.ok(read >= 1000, `only ${read} models read`);
    // Every fully inferred output shape must match the expected output tensor stored beside the model.
    assert.ok(compared >= 600, `only ${compared} outputs inferred statically`);
    assert.deepEqual(mismatches, []);
  },
);
