/** The plain-data model the lazy reader produces: structure decoded, tensor bytes only referenced. */

/** Where a tensor's bytes are inside the model file; `encoding` says how to decode them. */
export interface InlineDataRef {
  kind: 'inline';
  offset: number;
  length: number;
  /** raw: little-endian raw_data; varint/fixed32/fixed64: a packed typed field; strings: string_data. */
  encoding: 'raw' | 'varint' | 'fixed32' | 'fixed64' | 'strings';
}

/** A tensor stored outside the model file (external data), never read by the summary. */
export interface ExternalDataRef {
  kind: 'external';
  location: string;
  offset: number;
  /** Absent when the model leaves it to the file size. */
  length: number | undefined;
}

/** A tensor's metadata. Values are read on demand by readTensorValues(). */
export interface TensorInfo {
  name: string;
  dtype: number;
  dims: number[];
  /** Product of dims (1 for a scalar). */
  elements: number;
  /** Storage size from dtype and element count. */
  bytes: number;
  data: InlineDataRef | ExternalDataRef | undefined;
  /** Values decoded while reading: non-packed typed fields, and the payload of small Constant tensors. */
  values?: number[];
}

/** A dimension: a number, a symbolic name, or null when neither is given. */
export type Dim = number | string | null;

/** A graph input, output or value_info entry. */
export interface ValueInfo {
  name: string;
  /** Element type (0 when not a tensor or not given). */
  dtype: number;
  /** Undefined when the rank is unknown. */
  shape: Dim[] | undefined;
  /** tensor, sequence, map, optional, sparse_tensor or unknown. */
  kind: string;
}

/** A decoded node attribute. Only the members for its type are set. */
export interface AttributeInfo {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: TensorInfo;
  g?: GraphInfo;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  tensors?: TensorInfo[];
  graphs?: GraphInfo[];
}

/** One node of a graph. */
export interface NodeInfo {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** By name; read-only because nodes without attributes share one empty map. */
  attributes: ReadonlyMap<string, AttributeInfo>;
}

/** A graph or subgraph (the body of If, Loop, Scan). */
export interface GraphInfo {
  name: string;
  nodes: NodeInfo[];
  initializers: TensorInfo[];
  /** Sparse initializers, described by their values tensor and dense dims. */
  sparseInitializers: TensorInfo[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
}

/** An operator set the model imports. */
export interface OpsetImport {
  domain: string;
  version: number;
}

/** The whole model: header fields, main graph and the names of local functions. */
export interface ModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  opsets: OpsetImport[];
  metadata: Record<string, string>;
  graph: GraphInfo;
  /** Local functions (IR 8+), as "domain:name". Their bodies are not analysed. */
  functions: string[];
  /** Size of the model file in bytes. */
  fileSize: number;
}
