/** A plain-text table of a profile result, shared by the CLI and the editor's output channel. Pure. */
import * as path from 'node:path';
import { formatMeasurement, formatSpeedup } from '../profiler/compare';
import type { ProfileResult, VariantResult } from '../profiler/types';
import { millijouleCell } from '../energy/quantity';

const pct = (x: number | undefined) => (x === undefined ? '' : `${(x * 100).toFixed(1)} %`);

function row(r: VariantResult): string[] {
  const m = r.metrics;
  if (!m) return [r.id, r.status, r.reason ?? '', '', '', '', '', '', '', ''];
  const e = r.energy?.perInference;
  const perSample = m.p50Ms / m.batch;
  return [
    r.id + (r.cached ? ' (cached)' : ''),
    r.status,
    `${perSample.toFixed(3)} ms`,
    formatSpeedup(r.speedup),
    r.verdict ?? '',
    `±${m.ciPct.toFixed(1)} %`,
    `${(m.fileBytes / 1e6).toFixed(2)} MB`,
    e ? millijouleCell(e) : '',
    pct(r.accuracy?.top1Agreement),
    r.accuracy?.accuracy !== undefined ? `${pct(r.accuracy.accuracy)} (fp32 ${pct(r.accuracy.baselineAccuracy)})` : '',
  ];
}

/** A plain-text table of a profile result. */
export function formatProfile(res: ProfileResult): string {
  const head = [
    'variant',
    'status',
    'p50/sample',
    'speed-up (interval)',
    'verdict',
    'p50 CI',
    'file',
    'energy/inf',
    'top-1 agree',
    'accuracy',
  ];
  const rows = [head, ...res.variants.map(row)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const meters = [...new Set(res.variants.flatMap((v) => (v.energy ? [v.energy.meter] : [])))];
  const notes = res.variants.flatMap((v) => [
    ...v.notes.map((n) => `  ${v.id}: ${n}`),
    ...(v.gpuOriented ? [`  ${v.id}: GPU-oriented variant measured on a CPU`] : []),
    ...(v.resolution ? [`  ${v.id}: ${v.resolution}`] : []),
  ]);
  const meterNote = res.variants.find((v) => v.energy?.meterNote)?.energy?.meterNote;
  return [
    `${path.basename(res.modelPath)} on ${res.machine.cpu} (${res.machine.cores} cores), onnxruntime ${res.machine.ortVersion}`,
    `inputs: ${res.inputs.description}`,
    '',
    ...lines,
    '',
    `energy: ${meters.join(', ') || 'none'}${meterNote ? ` (${meterNote})` : ''}`,
    ...formatMeasurement(res.measurement),
    ...(notes.length ? ['notes:', ...notes] : []),
    `${(res.durationMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
