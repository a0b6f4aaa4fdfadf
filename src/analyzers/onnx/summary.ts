/** The model summary the CLI and the editor show: header, inputs/outputs, structure, parameters and cost. */
import { dtypeInfo } from './dtypes';
import { inferShapes, resolveInputShape, type DimOptions } from './shapes/infer';
import type { SDim } from './shapes/common';
import type { ByteSource } from './source';
import { modelStructure, type ModelStructure } from './structure';
import { costTotals, type CostTotals } from './totals';
import type { Dim, ModelInfo, OpsetImport } from './types';

/** A graph input or output as shown to people: declared shape (symbolic dims by name) and the one used. */
export interface IOSummary {
  name: string;
  dtype: string;
  /** As declared in the file; strings are symbolic dims, null unknown ones. */
  shape: Dim[] | undefined;
  /** After substituting symbolic dims (inputs) or after shape inference (outputs). */
  resolvedShape: SDim[] | undefined;
}

/** Everything `greenlens inspect` reports about one model. */
export interface OnnxSummary {
  fileSize: number;
  irVersion: number;
  producer: string;
  domain: string;
  modelVersion: number;
  opsets: OpsetImport[];
  metadata: Record<string, string>;
  functions: string[];
  inputs: IOSummary[];
  outputs: IOSummary[];
  structure: ModelStructure;
  cost: CostTotals;
  /** The symbolic-dimension values the shapes and costs were computed with. */
  dims: DimOptions;
  warnings: string[];
}

/** Summarises a model read by the lazy reader; `src` serves the few small constants shape folding needs. */
export function summarizeModel(model: ModelInfo, src: ByteSource, dims: DimOptions = {}): OnnxSummary {
  const inf = inferShapes(model, src, dims);
  const scope = inf.scopes.get(model.graph);
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  const inputs = model.graph.inputs
    .filter((v) => !inits.has(v.name))
    .map((v) => ({
      name: v.name,
      dtype: dtypeInfo(v.dtype).name,
      shape: v.shape,
      resolvedShape: resolveInputShape(v.name, v.shape, dims),
    }));
  const outputs = model.graph.outputs.map((v) => {
    const f = scope?.get(v.name);
    return { name: v.name, dtype: dtypeInfo(f?.dtype || v.dtype).name, shape: v.shape, resolvedShape: f?.shape };
  });
  return {
    fileSize: model.fileSize,
    irVersion: model.irVersion,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    domain: model.domain,
    modelVersion: model.modelVersion,
    opsets: model.opsets,
    metadata: model.metadata,
    functions: model.functions,
    inputs,
    outputs,
    structure: modelStructure(model),
    cost: costTotals(model.graph, inf),
    dims,
    warnings: inf.warnings,
  };
}
