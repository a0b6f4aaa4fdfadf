/**
 * A display model of an ONNX summary for the editor (the .onnx viewer and the Models view): plain,
 * serialisable rows of already-formatted text, each figure with where it comes from. Pure.
 */
import { formatCount } from '../../energy/quantity';
import { bytes } from './format';
import type { OnnxSummary } from './summary';
import type { Dim } from './types';
import type { OnnxView, OnnxViewRow } from './viewTypes';

export type { OnnxView, OnnxViewRow } from './viewTypes';

const STATIC = 'counted statically from the graph after shape inference (no weights read, no run)';

function shapeText(shape: readonly (Dim | undefined)[] | undefined): string {
  if (!shape) return 'unknown';
  return `[${shape.map((d) => (d === null || d === undefined ? '?' : String(d))).join(', ')}]`;
}

function dimsText(s: OnnxSummary): string {
  const parts = [`batch=${s.dims.batch ?? 1}`, ...Object.entries(s.dims.dims ?? {}).map(([k, v]) => `${k}=${v}`)];
  return parts.join(', ');
}

/** Builds the display model; `title` is usually the file name. */
export function onnxView(s: OnnxSummary, title: string): OnnxView {
  const cov = s.cost.coverage;
  const share = `${Math.round(cov.macShare * 100)} % of MAC-bearing nodes counted (${cov.countedMacNodes} of ${cov.macNodes})`;
  const total = s.cost.macs;
  const headline: OnnxViewRow[] = [
    {
      label: 'Parameters',
      value: `${s.structure.parameters.count.toLocaleString('en-US')} (${bytes(s.structure.parameters.bytes)})`,
      source: 'initializers and Constant-node tensors, counted from the file',
    },
    {
      label: 'Compute',
      value: `${formatCount(total, 'MACs')} per inference`,
      source: `${STATIC}; ${dimsText(s)}; ${share}`,
    },
    {
      label: 'FLOPs',
      value: formatCount(s.cost.flops, 'FLOPs'),
      source: `${STATIC}; non-MAC ops estimated per element`,
    },
    {
      label: 'Peak activation memory',
      value: bytes(s.cost.peakActivationBytes),
      source: 'estimated: largest sum of live activations when nodes run one after another',
    },
    { label: 'File size', value: bytes(s.fileSize), source: 'measured on disk' },
  ];
  const model: OnnxViewRow[] = [
    { label: 'Producer', value: s.producer || 'not recorded' },
    { label: 'IR version', value: String(s.irVersion) },
    { label: 'Opsets', value: s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') || 'none' },
    {
      label: 'Nodes',
      value: `${s.structure.nodeCount}${s.structure.subgraphCount ? ` (${s.structure.subgraphCount} subgraphs walked)` : ''}`,
    },
    {
      label: 'Quantized',
      value: s.structure.quantization.quantized
        ? `yes: ${Object.entries(s.structure.quantization.ops)
            .map(([k, v]) => `${k} ×${v}`)
            .join(', ')}`
        : 'no',
    },
  ];
  if (s.structure.externalData.length) {
    model.push({
      label: 'External data',
      value: s.structure.externalData.map((e) => `${e.location} (${e.tensors} tensors, ${bytes(e.bytes)})`).join('; '),
    });
  }
  const io = (list: OnnxSummary['inputs']) =>
    list.map((v) => ({
      name: v.name,
      dtype: v.dtype,
      shape: shapeText(v.shape),
      resolved: shapeText(v.resolvedShape),
    }));
  const ops = Object.entries(s.structure.opHistogram)
    .map(([op, count]) => ({ op, count }))
    .sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
  const topNodes = s.cost.topNodes.map((n) => ({
    name: n.name || '(unnamed)',
    op: n.opType,
    macs: n.macs === null ? '?' : formatCount(n.macs),
    share: n.macs && total ? `${((n.macs / total) * 100).toFixed(1)} %` : '',
    shape: n.outputShapes.map((sh) => shapeText(sh)).join(' '),
  }));
  const parametersByDtype = Object.entries(s.structure.parameters.byDtype).map(([dtype, v]) => ({
    dtype,
    count: formatCount(v.count),
    bytes: bytes(v.bytes),
  }));
  const unknown = Object.entries(cov.unknownOps).map(([op, n]) => `${op} ×${n}`);
  const notes = [...s.warnings, ...s.cost.notes];
  if (unknown.length) notes.push(`No shape rule for: ${unknown.join(', ')}; their cost is not counted.`);
  return {
    title,
    headline,
    model,
    inputs: io(s.inputs),
    outputs: io(s.outputs),
    ops,
    topNodes,
    parametersByDtype,
    notes,
  };
}

/** One-line description for a tree item or a status message: "11.7 M params · 1.81 G MACs". */
export function onnxOneLine(s: OnnxSummary): string {
  return `${formatCount(s.structure.parameters.count, 'params')} · ${formatCount(s.cost.macs, 'MACs')}`;
}
