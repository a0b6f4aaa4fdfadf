/**
 * The decoder's field numbers (fields.ts) against the onnx.proto they are named after, and the protobuf
 * reader's varints and bounds checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fields from '../../src/analyzers/onnx/fields';
import { ProtoReader } from '../../src/analyzers/onnx/protoReader';
import { OnnxReadError } from '../../src/analyzers/onnx/errors';

const PROTO = readFileSync(path.join(__dirname, '../../src/analyzers/onnx/proto/onnx.proto'), 'utf8');

/** The text of `message A { ... }` (or `enum`), nested names dotted as in `TypeProto.Tensor`. */
function block(dotted: string, kind = 'message'): string {
  let text = PROTO;
  const names = dotted.split('.');
  names.forEach((name, i) => {
    const open = new RegExp(`\\b${i === names.length - 1 ? kind : 'message'}\\s+${name}\\s*\\{`).exec(text);
    assert.ok(open, `${dotted}: no ${name} in onnx.proto`);
    let depth = 0;
    let at = open.index + open[0].length - 1;
    const start = at;
    for (; at < text.length; at++) {
      if (text[at] === '{') depth++;
      else if (text[at] === '}' && --depth === 0) break;
    }
    text = text.slice(start, at + 1);
  });
  return text;
}

const MESSAGES: Record<string, Record<string, number>> = {
  ModelProto: fields.ModelProto,
  GraphProto: fields.GraphProto,
  NodeProto: fields.NodeProto,
  AttributeProto: fields.AttributeProto,
  TensorProto: fields.TensorProto,
  SparseTensorProto: fields.SparseTensorProto,
  ValueInfoProto: fields.ValueInfoProto,
  TypeProto: fields.TypeProto,
  'TypeProto.Tensor': fields.TypeProtoTensor,
  'TypeProto.SparseTensor': fields.TypeProtoTensor,
  TensorShapeProto: fields.TensorShapeProto,
  'TensorShapeProto.Dimension': fields.Dimension,
  OperatorSetIdProto: fields.OperatorSetIdProto,
  StringStringEntryProto: fields.StringStringEntryProto,
  FunctionProto: fields.FunctionProto,
};

void test('every field number is the one onnx.proto gives that field', () => {
  for (const [message, table] of Object.entries(MESSAGES)) {
    const text = block(message);
    for (const [name, num] of Object.entries(table)) {
      const m = new RegExp(`\\s${name}\\s*=\\s*(\\d+)\\s*[;\\[]`).exec(text);
      assert.ok(m, `${message}.${name} is not in onnx.proto`);
      assert.equal(Number(m[1]), num, `${message}.${name}`);
    }
  }
  for (const [name, table] of [
    ['TensorProto.DataLocation', fields.DataLocation],
    ['AttributeProto.AttributeType', fields.AttributeType],
  ] as const) {
    const text = block(name, 'enum');
    for (const [member, num] of Object.entries(table))
      assert.match(text, new RegExp(`\\b${member}\\s*=\\s*${num}\\s*;`), `${name}.${member}`);
  }
});

const reader = (bytes: number[]): ProtoReader => new ProtoReader(Buffer.from(bytes), 0, bytes.length, 100);

void test('varints: one byte, several bytes, negative int64 and values past 32 bits', () => {
  assert.equal(reader([0x96, 0x01]).uint(), 150);
  const minusOne = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  assert.equal(reader(minusOne).int64(), -1);
  assert.equal(reader([0x80, 0x80, 0x80, 0x80, 0x10]).int64(), 2 ** 32);
  assert.equal(reader([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).int64(), -2);
  assert.equal(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]).uint(), 2 ** 53 - 1);
  const r = reader([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69]);
  assert.deepEqual([r.tag(), r.int64(), r.tag(), r.string(), r.pos], [8, 150, 18, 'hi', 7]);
});

void test('reads past the end of a message are typed errors with the file offset', () => {
  assert.throws(
    () => reader([0x96]).uint(),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'truncated' && e.offset === 100,
  );
  assert.throws(
    () => reader(Array(11).fill(0xff)).uint(),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'malformed',
  );
  assert.throws(
    () => reader([0x05, 0x61]).string(),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'truncated',
  );
  assert.throws(
    () => reader([0x00, 0x00]).float(),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'truncated',
  );
  assert.throws(
    () => reader([0x01]).skip(3),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'malformed',
  );
  // A message entered with enter() bounds the reads inside it, and leave() resumes after it.
  const r = reader([0x02, 0x96, 0x01, 0x07]);
  const outer = r.enter();
  assert.equal(r.uint(), 150);
  r.leave(outer);
  assert.equal(r.uint(), 7);
  const inner = reader([0x01, 0x96, 0x01]);
  inner.enter();
  assert.throws(
    () => inner.uint(),
    (e: unknown) => e instanceof OnnxReadError && e.code === 'truncated',
  );
});
