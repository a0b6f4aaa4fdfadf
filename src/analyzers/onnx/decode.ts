/**
 * Decoders of the small ONNX messages from a ProtoReader, by the onnx.proto field numbers in fields.ts:
 * NodeProto and AttributeProto (decodeNode.ts), TensorProto headers (decodeTensor.ts), ValueInfoProto
 * with its type and shape (decodeValueInfo.ts), and the flat messages and repeated numbers the others
 * build on (decodeScalars.ts). This module is the one the reader imports them from.
 *
 * Each decodes the message that fills the reader's [pos, end) and leaves the reader at its end. Like
 * protobufjs's generated readers, a known field is read as its declared type whatever its wire type (a
 * corrupt file then fails on a bounds check), repeated numbers are accepted packed or not, and unknown
 * fields are skipped. test/unit/onnx-decoder.test.ts checks the results against a full protobufjs decode
 * of every corpus model.
 *
 * Payloads are never copied: a tensor keeps the offset and length of its data, and subgraphs are handed
 * back to the caller.
 */
export { decodeEntry, decodeOpset } from './decodeScalars';
export { decodeTensor, payloadEncoding, type ExternalEntries, type FinishTensor } from './decodeTensor';
export { decodeAttribute, decodeNode, inferAttributeType, type PendingGraphs } from './decodeNode';
export { decodeValueInfo } from './decodeValueInfo';
