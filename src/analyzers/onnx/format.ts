/** Plain-text rendering of an OnnxSummary, shared by the CLI and any text view. */
import { formatCount } from '../../energy/quantity';
import type { OnnxSummary } from './summary';

/** Formats a count with an SI prefix (12.3 M, 1.81 G MACs): the project's one count format. */
export const si = formatCount;

/** Formats bytes in binary units. */
export function bytes(n: number): string {
  const steps: [number, string][] = [
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [v, s] of steps) if (n >= v) return `${(n / v).toFixed(1)} ${s}`;
  return `${n} B`;
}

function shapeText(s: readonly (number | string | null)[] | undefined): string {
  return s ? `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '?';
}

function table(rows: string[][]): string[] {
  // A loop rather than Math.max(...column): spreading a model's 100,000 inputs as arguments overflows the stack.
  const widths = rows[0]?.map((_, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0)) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The human-readable report `greenlens inspect` prints. */
export function formatSummary(s: OnnxSummary, title: string): string {
  const c = s.cost;
  const p = s.structure.parameters;
  const lines = [
    `${title}  (${bytes(s.fileSize)}, IR ${s.irVersion}, opsets ${s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')})`,
    `producer: ${s.producer || 'unknown'}`,
    '',
    ...table([
      ['input', 'dtype', 'declared', 'used'],
      ...s.inputs.map((i) => [i.name, i.dtype, shapeText(i.shape), shapeText(i.resolvedShape)]),
    ]),
    ...table([
      ['output', 'dtype', 'declared', 'inferred'],
      ...s.outputs.map((o) => [o.name, o.dtype, shapeText(o.shape), shapeText(o.resolvedShape)]),
    ]),
    '',
    `parameters: ${si(p.count)} (${bytes(p.bytes)}; initializers ${si(p.initializerCount)}, Constant nodes ${si(p.constantNodeCount)})`,
    ...Object.entries(p.byDtype).map(
      ([k, v]) => `  ${k.padEnd(10)} ${si(v.count).padStart(10)}  ${bytes(v.bytes).padStart(10)}`,
    ),
    `MACs: ${si(c.macs)}   FLOPs: ${si(c.flops)}   weights read: ${bytes(c.paramBytesRead)}   activations written: ${bytes(c.activationBytesWritten)}`,
    `peak activation memory (estimate): ${bytes(c.peakActivationBytes)}`,
    `nodes: ${s.structure.nodeCount} in ${s.structure.subgraphCount + 1} graph(s); cost counted for ${c.coverage.countedNodes}/${c.coverage.nodes} nodes, MACs for ${c.coverage.countedMacNodes}/${c.coverage.macNodes} MAC nodes (${(c.coverage.macShare * 100).toFixed(0)} %)`,
    `quantized: ${
      s.structure.quantization.quantized
        ? Object.entries(s.structure.quantization.ops)
            .map(([k, v]) => `${k} x${v}`)
            .join(', ')
        : 'no'
    }`,
    ...s.structure.externalData.map((f) => `external data: ${f.location} (${f.tensors} tensors, ${bytes(f.bytes)})`),
    ...Object.entries(c.coverage.unknownOps).map(([k, v]) => `no shape rule: ${k} x${v}`),
    ...c.notes.map((n) => `note: ${n}`),
    ...s.warnings.map((w) => `warning: ${w}`),
    '',
    'top nodes by MACs:',
    ...table([
      ['node', 'op', 'MACs', 'share', 'output'],
      ...c.topNodes.map((r) => [
        r.name.slice(0, 48),
        r.opType,
        si((r.macs ?? 0) * r.runs),
        `${((((r.macs ?? 0) * r.runs) / (c.macs || 1)) * 100).toFixed(1)} %`,
        shapeText(r.outputShapes[0]),
      ]),
    ]),
    '',
    'operators: ' +
      Object.entries(s.structure.opHistogram)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  ];
  return lines.join('\n');
}
