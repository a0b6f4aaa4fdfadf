/**
 * Lazy ONNX reader: walks the protobuf structure of a model with the field scanner (wire.ts), skips tensor
 * payloads (recording where they are) and decodes the small messages with the decoders of decode.ts, by
 * the onnx.proto field numbers of fields.ts. Messages that fit the file source's read window (nodes, graph
 * inputs, header entries: nearly all of a model) are decoded in place; larger ones are scanned field by
 * field so that their payloads are never read.
 *
 * This module reads the model header and its local functions' names and hands the graph to graphScan.ts,
 * which reads nodes and subgraphs and leaves tensors to tensorScan.ts; readContext.ts holds what they
 * share, and limitCounts.ts charges what they materialise to the caps of limits.ts.
 */
import { OnnxReadError } from './errors';
import { LimitCounter, type OnnxLimits } from './limits';
import { bytesSource, fileSource, type ByteSource } from './source';
import { FieldScanner } from './wire';
import { ProtoReader } from './protoReader';
import { decodeEntry, decodeOpset } from './decode';
import { FunctionProto, ModelProto } from './fields';
import { MAX_DOC_BYTES, inPlace, readString, type Ctx } from './readContext';
import { readGraph } from './graphScan';
import type { GraphInfo, ModelInfo } from './types';

/** `domain:name` of a model-local function, read without decoding its body. */
function functionName(ctx: Ctx, start: number, end: number): string {
  let name = '';
  let domain = '';
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    if (
      !s.delimited ||
      (s.field !== FunctionProto.name && s.field !== FunctionProto.domain) ||
      s.end - s.valStart > 4096
    )
      continue;
    const text = readString(ctx, s.valStart, s.end);
    if (s.field === FunctionProto.name) name = text;
    else domain = text;
  }
  return `${domain}:${name}`;
}

/** One OperatorSetIdProto or StringStringEntryProto of the model header, decoded in place. */
function readSmall<T>(ctx: Ctx, start: number, end: number, what: string, decode: (r: ProtoReader) => T): T {
  const r = inPlace(ctx, start, end);
  if (!r) throw new OnnxReadError('too-large', `a model ${what} of ${end - start} bytes`, start);
  return decode(r);
}

type Header = Omit<ModelInfo, 'graph' | 'fileSize' | 'functions'>;

/** Reads one length-delimited ModelProto field other than the graph into the header or the functions. */
function headerField(ctx: Ctx, model: Header, functions: string[], s: FieldScanner): void {
  const { valStart: start, end } = s;
  switch (s.field) {
    case ModelProto.functions:
      ctx.limits.add('functions', 1, s.tagStart);
      functions.push(functionName(ctx, start, end));
      break;
    case ModelProto.opset_import:
      ctx.limits.add('entries', 1, s.tagStart);
      model.opsets.push(readSmall(ctx, start, end, 'opset import', decodeOpset));
      break;
    case ModelProto.metadata_props: {
      ctx.limits.add('entries', 1, s.tagStart);
      const e = readSmall(ctx, start, end, 'metadata entry', decodeEntry);
      model.metadata[e.key] = e.value;
      break;
    }
    case ModelProto.producer_name:
      model.producerName = readString(ctx, start, end);
      break;
    case ModelProto.producer_version:
      model.producerVersion = readString(ctx, start, end);
      break;
    case ModelProto.domain:
      model.domain = readString(ctx, start, end);
      break;
    case ModelProto.doc_string:
      if (end - start <= MAX_DOC_BYTES) model.docString = readString(ctx, start, end);
      break;
    default: // training_info and fields of later IR versions: not used by the summary.
  }
}

/** Reads a whole model from a source. Throws OnnxReadError for anything that is not a readable model. */
export function readModelFromSource(src: ByteSource, limits?: Readonly<OnnxLimits>): ModelInfo {
  const ctx: Ctx = { src, limits: new LimitCounter(limits), reader: new ProtoReader(Buffer.alloc(0), 0, 0) };
  let graph: GraphInfo | undefined;
  const functions: string[] = [];
  const model: Header = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    opsets: [],
    metadata: {},
  };
  if (src.size === 0) throw new OnnxReadError('truncated', 'the file is empty');
  const s = new FieldScanner(src, 0, src.size);
  while (s.next()) {
    if (!s.delimited) {
      if (s.wire !== 0) continue;
      if (s.field === ModelProto.ir_version) model.irVersion = s.value;
      else if (s.field === ModelProto.model_version) model.modelVersion = s.value;
    } else if (s.field === ModelProto.graph) graph = readGraph(ctx, s.valStart, s.end, 0);
    else headerField(ctx, model, functions, s);
  }
  if (!graph)
    throw new OnnxReadError(
      'malformed',
      'no graph found: this is not an ONNX model (or it is truncated before its graph)',
    );
  return { ...model, graph, functions, fileSize: src.size };
}

/** Reads a model file lazily: only its structure, never its weights. */
export function readModelFile(path: string, limits?: Readonly<OnnxLimits>): ModelInfo {
  const src = fileSource(path);
  try {
    return readModelFromSource(src, limits);
  } finally {
    src.close();
  }
}

/** Reads a model from bytes in memory. */
export function readModelBytes(bytes: Uint8Array, limits?: Readonly<OnnxLimits>): ModelInfo {
  return readModelFromSource(bytesSource(bytes), limits);
}
