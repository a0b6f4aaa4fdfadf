/**
 * Public API of the ONNX analyzer (pure Node: no vscode). Open a model file or bytes, get a summary with
 * parameters, shapes and per-node cost, without reading the weights.
 */
import { readModelFromSource } from './reader';
import { bytesSource, fileSource, type ByteSource } from './source';
import { summarizeModel, type OnnxSummary } from './summary';
import type { DimOptions } from './shapes/infer';
import type { ModelInfo } from './types';

export { OnnxReadError, type OnnxReadErrorCode } from './errors';
export { readModelBytes, readModelFile, readModelFromSource } from './reader';
export { bytesSource, fileSource, type ByteSource } from './source';
export { readTensorValues } from './tensorData';
export { dtypeInfo, dtypeBytes } from './dtypes';
export { inferShapes, type DimOptions, type ShapeInference } from './shapes/infer';
export { summarizeModel, type OnnxSummary, type IOSummary } from './summary';
export { formatSummary } from './format';
export type { CostTotals, NodeCostRow, CostCoverage } from './totals';
export type { ModelStructure, ParameterStats, ExternalFile } from './structure';
export type * from './types';

/** A model opened for analysis; keep it open while you read tensor values, then close it. */
export interface OpenedModel {
  model: ModelInfo;
  source: ByteSource;
  close(): void;
}

/** Opens a model file and decodes its structure (throws OnnxReadError on a bad file). */
export function openModelFile(path: string): OpenedModel {
  const source = fileSource(path);
  try {
    const model = readModelFromSource(source);
    return { model, source, close: () => source.close() };
  } catch (err) {
    source.close();
    throw err;
  }
}

/** Reads and summarises a model file: structure, shapes with the given dims, parameters and cost. */
export function inspectOnnxFile(path: string, dims: DimOptions = {}): OnnxSummary {
  const opened = openModelFile(path);
  try {
    return summarizeModel(opened.model, opened.source, dims);
  } finally {
    opened.close();
  }
}

/** Same as inspectOnnxFile for bytes already in memory. */
export function inspectOnnxBytes(bytes: Uint8Array, dims: DimOptions = {}): OnnxSummary {
  const source = bytesSource(bytes);
  return summarizeModel(readModelFromSource(source), source, dims);
}
