/**
 * Test helpers for the ONNX analyzer: finding the real models that scripts/fetch-test-models.sh caches,
 * and building tiny models in memory with the compiled onnx.proto classes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { onnx } from '../../../src/analyzers/onnx/generated/onnx';

/** Debian's libonnx-testdata: one folder per single-op model. */
export const CORPUS = '/usr/share/libonnx-testdata/data';

/** Every model.onnx under `dir`. */
export function findModels(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findModels(p, out);
    else if (e.name === 'model.onnx') out.push(p);
  }
  return out;
}

/** Folder the fetch script fills. */
export const MODELS_DIR = process.env.GREENLENS_TEST_MODELS ?? path.join(homedir(), '.cache', 'greenlens-test-models');

/**
 * Path of a cached test model, or undefined after skipping the test when it is missing. In CI a missing
 * model fails the test instead, so a broken fetch step cannot turn the suite green.
 */
export function testModel(t: TestContext, file: string): string | undefined {
  const p = path.join(MODELS_DIR, file);
  if (existsSync(p)) return p;
  const msg = `test model ${file} not found in ${MODELS_DIR}: run scripts/fetch-test-models.sh`;
  if (process.env.CI === 'true') throw new Error(msg);
  t.skip(msg);
  return undefined;
}

/** A value-info entry: name, element type and dims (numbers, symbolic names, or null for unknown). */
export type IO = [name: string, dtype: number, dims: (number | string | null)[]];

function valueInfo([name, dtype, dims]: IO): onnx.ValueInfoProto.$Properties {
  const dim = dims.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: dtype, shape: { dim } } } };
}

/** A node description for buildModel; attributes are encoded as given (see the onnx.proto fields). */
export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: onnx.AttributeProto.$Properties[];
  domain?: string;
}

/** A float32 or int64 initializer with zero or given values. */
export function init(name: string, dims: number[], values?: number[], dtype = 1): onnx.TensorProto.$Properties {
  const n = dims.reduce((a, b) => a * b, 1);
  const v = values ?? new Array<number>(n).fill(0);
  if (dtype === 7) return { name, dims, dataType: 7, int64Data: v };
  return { name, dims, dataType: dtype, rawData: new Uint8Array(new Float32Array(v).buffer) };
}

/** Encodes a one-graph model with the default opset `opset`. */
export function buildModel(spec: {
  inputs: IO[];
  outputs: IO[];
  nodes: NodeSpec[];
  inits?: onnx.TensorProto.$Properties[];
  opset?: number;
  irVersion?: number;
}): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: spec.irVersion ?? 8,
    producerName: 'greenlens-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'g',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: spec.inits ?? [],
      node: spec.nodes.map((n, i) => ({
        name: `n${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: n.attrs ?? [],
        domain: n.domain ?? '',
      })),
    },
  }).finish();
}

/** Attribute shorthands. */
export const attr = {
  i: (name: string, i: number): onnx.AttributeProto.$Properties => ({ name, type: 2, i }),
  f: (name: string, f: number): onnx.AttributeProto.$Properties => ({ name, type: 1, f }),
  s: (name: string, s: string): onnx.AttributeProto.$Properties => ({ name, type: 3, s: new TextEncoder().encode(s) }),
  ints: (name: string, ints: number[]): onnx.AttributeProto.$Properties => ({ name, type: 7, ints }),
};
