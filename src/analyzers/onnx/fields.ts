/**
 * Field numbers of the onnx.proto messages the reader decodes, named as in `proto/onnx.proto` (the schema
 * the profiler's protobufjs classes are generated from). Only the fields the reader keeps or counts are
 * listed; every other field is skipped by its wire type. test/unit/onnx-fields.test.ts checks each number
 * against the .proto file, so a renumbering upstream cannot go unnoticed.
 */

/** Protobuf wire types (the low three bits of a tag). */
export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  fixed32: 5,
} as const;

/** `message ModelProto`. */
export const ModelProto = {
  ir_version: 1,
  producer_name: 2,
  producer_version: 3,
  domain: 4,
  model_version: 5,
  doc_string: 6,
  graph: 7,
  opset_import: 8,
  metadata_props: 14,
  functions: 25,
} as const;

/** `message GraphProto`. */
export const GraphProto = {
  node: 1,
  name: 2,
  initializer: 5,
  input: 11,
  output: 12,
  value_info: 13,
  sparse_initializer: 15,
} as const;

/** `message NodeProto`. */
export const NodeProto = {
  input: 1,
  output: 2,
  name: 3,
  op_type: 4,
  attribute: 5,
  doc_string: 6,
  domain: 7,
} as const;

/** `message AttributeProto`. */
export const AttributeProto = {
  name: 1,
  f: 2,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  floats: 7,
  ints: 8,
  strings: 9,
  tensors: 10,
  graphs: 11,
  doc_string: 13,
  type: 20,
  sparse_tensor: 22,
  sparse_tensors: 23,
} as const;

/** `message TensorProto`. */
export const TensorProto = {
  dims: 1,
  data_type: 2,
  float_data: 4,
  int32_data: 5,
  string_data: 6,
  int64_data: 7,
  name: 8,
  raw_data: 9,
  double_data: 10,
  uint64_data: 11,
  doc_string: 12,
  external_data: 13,
  data_location: 14,
} as const;

/** `enum TensorProto.DataLocation`. */
export const DataLocation = {
  DEFAULT: 0,
  EXTERNAL: 1,
} as const;

/** `message SparseTensorProto`. */
export const SparseTensorProto = {
  values: 1,
  dims: 3,
} as const;

/** `message ValueInfoProto`. */
export const ValueInfoProto = {
  name: 1,
  type: 2,
} as const;

/** `message TypeProto` (the members of its `value` oneof). */
export const TypeProto = {
  tensor_type: 1,
  sequence_type: 4,
  map_type: 5,
  sparse_tensor_type: 8,
  optional_type: 9,
} as const;

/** `message TypeProto.Tensor`, whose numbers `TypeProto.SparseTensor` shares. */
export const TypeProtoTensor = {
  elem_type: 1,
  shape: 2,
} as const;

/** `message TensorShapeProto`. */
export const TensorShapeProto = {
  dim: 1,
} as const;

/** `message TensorShapeProto.Dimension` (the members of its `value` oneof). */
export const Dimension = {
  dim_value: 1,
  dim_param: 2,
} as const;

/** `message OperatorSetIdProto`. */
export const OperatorSetIdProto = {
  domain: 1,
  version: 2,
} as const;

/** `message StringStringEntryProto`. */
export const StringStringEntryProto = {
  key: 1,
  value: 2,
} as const;

/** `message FunctionProto`. */
export const FunctionProto = {
  name: 1,
  domain: 10,
} as const;

/** `enum AttributeProto.AttributeType`. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;
