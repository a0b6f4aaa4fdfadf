/**
 * The lazy reader (wire scanner plus hand-written decoders) against a full protobufjs decode of the same
 * file with the classes compiled from onnx.proto: the model header, every node, attribute, graph input,
 * output and value_info, tensor header and small tensor value must agree, over the libonnx-testdata
 * corpus and the cached real models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bytesSource, readModelFromSource, readTensorValues } from '../../src/analyzers/onnx/index';
import type { AttributeInfo, Dim, GraphInfo, TensorInfo, ValueInfo } from '../../src/analyzers/onnx/index';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';
import { CORPUS, MODELS_DIR, findModels } from './helpers/models';

const utf8 = new TextDecoder();

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v)));

/** Values of a small tensor straight from the protobufjs message (typed arrays over raw_data). */
function refValues(t: onnx.ITensorProto, elements: number): number[] | undefined {
  const lists = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data];
  for (const l of lists) if (l && l.length) return Array.from(l as ArrayLike<unknown>, num).slice(0, elements);
  const raw = t.rawData;
  if (!raw || raw.length === 0) return elements === 0 ? [] : undefined;
  const copy = new Uint8Array(raw).buffer;
  const views: Record<number, (b: ArrayBuffer) => ArrayLike<number | bigint>> = {
    1: (b) => new Float32Array(b),
    2: (b) => new Uint8Array(b),
    3: (b) => new Int8Array(b),
    4: (b) => new Uint16Array(b),
    5: (b) => new Int16Array(b),
    6: (b) => new Int32Array(b),
    7: (b) => new BigInt64Array(b),
    9: (b) => new Uint8Array(b),
    11: (b) => new Float64Array(b),
    12: (b) => new Uint32Array(b),
    13: (b) => new BigUint64Array(b),
  };
  const view = views[t.dataType ?? 0];
  if (!view) return undefined;
  try {
    return Array.from(view(copy), Number).slice(0, elements);
  } catch {
    return undefined;
  }
}

function dimOf(d: onnx.TensorShapeProto.IDimension): Dim {
  if (Object.prototype.hasOwnProperty.call(d, 'dimParam') && d.dimParam) return d.dimParam;
  if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) return num(d.dimValue);
  return null;
}

/** A protobufjs ValueInfoProto in the reader's plain form, symbolic dims kept by name. */
function valueInfoOf(v: onnx.IValueInfoProto): ValueInfo {
  const type = v.type;
  const name = v.name ?? '';
  const tt = type?.tensorType ?? type?.sparseTensorType;
  if (tt) {
    const shape = tt.shape ? (tt.shape.dim ?? []).map(dimOf) : undefined;
    return { name, dtype: tt.elemType ?? 0, shape, kind: type?.tensorType ? 'tensor' : 'sparse_tensor' };
  }
  const kind = type?.sequenceType ? 'sequence' : type?.mapType ? 'map' : type?.optionalType ? 'optional' : 'unknown';
  return { name, dtype: 0, shape: undefined, kind };
}

interface Plain {
  [k: string]: unknown;
}

function plainRefTensor(t: onnx.ITensorProto): Plain {
  const dims = (t.dims ?? []).map(num);
  const elements = dims.reduce((a, b) => a * b, 1);
  return {
    name: t.name ?? '',
    dtype: t.dataType ?? 0,
    dims,
    values: elements <= 4096 ? refValues(t, elements) : 'large',
  };
}

function plainOurTensor(src: ReturnType<typeof bytesSource>, t: TensorInfo): Plain {
  return {
    name: t.name,
    dtype: t.dtype,
    dims: t.dims,
    values: t.elements <= 4096 ? readTensorValues(src, t, 4096) : 'large',
  };
}

function plainRefAttr(a: onnx.IAttributeProto): Plain {
  const out: Plain = { name: a.name ?? '' };
  if (a.f) out.f = a.f;
  if (a.i !== undefined && a.i !== null && num(a.i) !== 0) out.i = num(a.i);
  if (a.s && a.s.length) out.s = utf8.decode(a.s);
  if (a.floats?.length) out.floats = [...a.floats];
  if (a.ints?.length) out.ints = a.ints.map(num);
  if (a.strings?.length) out.strings = a.strings.map((s) => utf8.decode(s));
  if (a.t) out.t = plainRefTensor(a.t);
  if (a.g) out.g = plainRefGraph(a.g);
  if (a.tensors?.length) out.tensors = a.tensors.map(plainRefTensor);
  if (a.graphs?.length) out.graphs = a.graphs.map(plainRefGraph);
  return out;
}

function plainOurAttr(src: ReturnType<typeof bytesSource>, a: AttributeInfo): Plain {
  const out: Plain = { name: a.name };
  // protobufjs leaves proto3 defaults unset, so zero values and empty strings compare as absent.
  if (a.f) out.f = a.f;
  if (a.i) out.i = a.i;
  if (a.s) out.s = a.s;
  if (a.floats?.length) out.floats = a.floats;
  if (a.ints?.length) out.ints = a.ints;
  if (a.strings?.length) out.strings = a.strings;
  if (a.t) out.t = plainOurTensor(src, a.t);
  if (a.g) out.g = plainOurGraph(src, a.g);
  if (a.tensors?.length) out.tensors = a.tensors.map((t) => plainOurTensor(src, t));
  if (a.graphs?.length) out.graphs = a.graphs.map((g) => plainOurGraph(src, g));
  return out;
}

function plainRefGraph(g: onnx.IGraphProto): Plain {
  return {
    name: g.name ?? '',
    nodes: (g.node ?? []).map((n) => {
      // The reader keys attributes by name: a repeated name keeps its last value.
      const attrs = new Map<string, Plain>();
      for (const a of n.attribute ?? []) attrs.set(a.name ?? '', plainRefAttr(a));
      return {
        name: n.name ?? '',
        opType: n.opType ?? '',
        domain: n.domain ?? '',
        inputs: n.input ?? [],
        outputs: n.output ?? [],
        attrs: [...attrs.values()],
      };
    }),
    initializers: (g.initializer ?? []).map(plainRefTensor),
    inputs: (g.input ?? []).map(valueInfoOf),
    outputs: (g.output ?? []).map(valueInfoOf),
    valueInfo: (g.valueInfo ?? []).map(valueInfoOf),
  };
}

function plainOurGraph(src: ReturnType<typeof bytesSource>, g: GraphInfo): Plain {
  return {
    name: g.name,
    nodes: g.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      inputs: n.inputs,
      outputs: n.outputs,
      attrs: [...n.attributes.values()].map((a) => plainOurAttr(src, a)),
    })),
    initializers: g.initializers.map((t) => plainOurTensor(src, t)),
    inputs: g.inputs,
    outputs: g.outputs,
    valueInfo: g.valueInfo,
  };
}

/** Files compared so far (protobufjs could decode them). */
let compared = 0;

/** Compares one file; returns a message on mismatch, undefined when equal or when protobufjs rejects it. */
function compare(file: string, bytes: Uint8Array = readFileSync(file)): string | undefined {
  let ref: onnx.ModelProto;
  try {
    ref = onnx.ModelProto.decode(bytes);
  } catch {
    return undefined;
  }
  compared++;
  const src = bytesSource(bytes);
  let ours;
  try {
    ours = readModelFromSource(src);
  } catch (err) {
    return `${file}: protobufjs decodes it, the reader throws ${(err as Error).message}`;
  }
  const a = plainOurGraph(src, ours.graph);
  const b = plainRefGraph(ref.graph ?? {});
  try {
    assert.deepStrictEqual(a, b);
  } catch (err) {
    return `${file}: ${(err as Error).message.slice(0, 2000)}`;
  }
  const header = (m: Plain): Plain => ({ ...m, graph: undefined, functions: undefined, fileSize: undefined });
  const refHeader = {
    irVersion: num(ref.irVersion),
    producerName: ref.producerName,
    producerVersion: ref.producerVersion,
    domain: ref.domain,
    modelVersion: num(ref.modelVersion),
    docString: ref.docString,
    opsets: ref.opsetImport.map((o) => ({ domain: o.domain ?? '', version: num(o.version) })),
    metadata: Object.fromEntries(ref.metadataProps.map((e) => [e.key ?? '', e.value ?? ''])),
  };
  assert.deepStrictEqual(header(ours as unknown as Plain), header(refHeader));
  return undefined;
}

void test(
  'reader output equals a protobufjs decode on every libonnx-testdata model',
  { skip: !existsSync(CORPUS) && 'libonnx-testdata is not installed' },
  (t) => {
    const models = findModels(CORPUS);
    const before = compared;
    const mismatches = models.map((f) => compare(f)).filter((m): m is string => !!m);
    t.diagnostic(`${models.length} models, ${compared - before} compared`);
    assert.ok(compared - before >= 1000, `only ${compared - before} models compared`);
    assert.deepEqual(mismatches.slice(0, 3), []);
  },
);

void test('reader output equals a protobufjs decode on the cached real models', (t) => {
  const files = existsSync(MODELS_DIR)
    ? readdirSync(MODELS_DIR)
        .filter((f) => f.endsWith('.onnx'))
        .map((f) => path.join(MODELS_DIR, f))
    : [];
  if (!files.length) return t.skip(`no test models in ${MODELS_DIR}: run scripts/fetch-test-models.sh`);
  for (const f of files) assert.equal(compare(f), undefined);
  t.diagnostic(`${files.length} models compared`);
});

void test('fields the decoder does not keep (doc strings, attribute type protos) are skipped whole', () => {
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [
        {
          input: ['x'],
          output: ['y'],
          opType: 'Transpose',
          docString: 'a node doc string that must be skipped',
          attribute: [
            { name: 'perm', type: 7, ints: [1, 0], docString: 'an attribute doc string' },
            { name: 'tp', type: 13, tp: { tensorType: { elemType: 1 } } },
          ],
        },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }, { dimValue: 3 }] } } } }],
      output: [{ name: 'y' }],
    },
  }).finish();
  const m = readModelFromSource(bytesSource(bytes));
  const node = m.graph.nodes[0];
  assert.equal(node?.opType, 'Transpose');
  assert.deepEqual(node?.attributes.get('perm')?.ints, [1, 0]);
  assert.equal(node?.attributes.get('tp')?.type, 13);
  assert.deepEqual(node?.outputs, ['y']);
});

void test('rare encodings agree with protobufjs: dim_param beside dim_value, sparse and sequence types, unpacked values', () => {
  const unpacked = (fields: Record<string, number[]>): Uint8Array => {
    // protobufjs packs repeated numbers; these are written one tag per value, as proto2 writers may.
    const w = onnx.TensorProto.encode({ name: 'c', dims: [2], dataType: 6 });
    for (const [field, values] of Object.entries(fields)) {
      for (const v of values) {
        if (field === 'float') w.uint32((4 << 3) | 5).float(v);
        else if (field === 'double') w.uint32((10 << 3) | 1).double(v);
        else if (field === 'int32') w.uint32((5 << 3) | 0).int32(v);
        else w.uint32((7 << 3) | 0).int64(v);
      }
    }
    return w.finish();
  };
  // Messages are concatenations of fields, so raw field bytes can be appended to an encoded message.
  const field = (num: number, bytes: Uint8Array): Uint8Array =>
    onnx.AttributeProto.encode({})
      .uint32((num << 3) | 2)
      .bytes(bytes)
      .finish();
  const cat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
  const graph = (t: Uint8Array): Uint8Array => {
    const attribute = cat(onnx.AttributeProto.encode({ name: 'value', type: 4 }).finish(), field(5, t));
    const node = cat(onnx.NodeProto.encode({ output: ['c'], opType: 'Constant' }).finish(), field(5, attribute));
    const rest = onnx.GraphProto.encode({
      name: 'g',
      input: [
        {
          name: 'both',
          type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 3, dimParam: 'n' }, { dimParam: '' }, {}] } } },
        },
        { name: 'sparse', type: { sparseTensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } },
        { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } },
        { name: 'notype' },
      ],
      output: [{ name: 'c' }],
    }).finish();
    return cat(field(1, node), rest);
  };
  const model = (t: Uint8Array): Uint8Array =>
    cat(
      onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] }).finish(),
      field(7, graph(t)),
    );
  const cases = [
    unpacked({ int32: [-1, 7] }),
    unpacked({ int64: [-5, 2 ** 40] }),
    unpacked({ double: [1.5], float: [2.5] }),
    unpacked({ int64: [9], int32: [3] }),
  ];
  for (const [i, t] of cases.entries()) assert.equal(compare(`case ${i}`, model(t)), undefined);
  const m = readModelFromSource(bytesSource(model(cases[3] as Uint8Array)));
  assert.deepEqual(
    m.graph.inputs.map((v) => [v.kind, v.shape]),
    [
      ['tensor', ['n', null, null]],
      ['sparse_tensor', [4]],
      ['sequence', undefined],
      ['unknown', undefined],
    ],
  );
  assert.deepEqual(m.graph.nodes[0]?.attributes.get('value')?.t?.values, [3]);
});

void test('a node larger than the read window is scanned field by field and agrees with protobufjs', () => {
  const big = new Uint8Array(100_000).map((_, i) => i % 251);
  const ints = Array.from({ length: 20_000 }, (_, i) => i - 10_000);
  const body = { name: 'body', node: [{ input: ['a'], output: ['b'], opType: 'Identity' }], output: [{ name: 'b' }] };
  const bytes = onnx.ModelProto.encode({
    irVersion: 3,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [
        {
          input: ['x', 'y'],
          output: ['z'],
          name: 'large',
          opType: 'Custom',
          domain: 'test',
          // No `type` on the first three, as IR 1 writers left it out: it follows from the member that is set.
          attribute: [
            { name: 'weights', t: { name: 'w', dims: [100_000], dataType: 2, rawData: big } },
            { name: 'ints', ints },
            { name: 'label', s: new TextEncoder().encode('größe') },
            { name: 'body', type: 5, g: body },
            { name: 'floats', type: 6, floats: [0.5, -2] },
          ],
        },
      ],
      output: [{ name: 'z' }],
    },
  }).finish();
  assert.equal(compare('large node', bytes), undefined);
  const node = readModelFromSource(bytesSource(bytes)).graph.nodes[0];
  assert.deepEqual(
    [...(node?.attributes.values() ?? [])].map((a) => [a.name, a.type]),
    [
      ['weights', 4],
      ['ints', 7],
      ['label', 3],
      ['body', 5],
      ['floats', 6],
    ],
  );
  // The weights stay in the file: the tensor records where they are.
  const data = node?.attributes.get('weights')?.t?.data;
  assert.ok(data?.kind === 'inline' && data.encoding === 'raw' && data.length === big.length);
  assert.ok(Buffer.from(bytes.subarray(data.offset, data.offset + data.length)).equals(big));
  assert.equal(node?.attributes.get('body')?.g?.nodes[0]?.opType, 'Identity');
});
