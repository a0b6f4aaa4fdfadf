/**
 * A plain-text table of a PyTorch profile, shared by the CLI and the editor's output channel; the columns
 * of the ONNX profiler's table plus the optimization's own time (the study's cost finding). Pure.
 */
import * as path from 'node:path';
import { formatMeasurement, formatSpeedup } from '../compare';
import type { TorchProfileResult, TorchVariantResult } from './types';

const pct = (x: number | undefined) => (x === undefined ? '' : `${(x * 100).toFixed(1)} %`);

function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 3 : 1)} ms`;
}

function row(r: TorchVariantResult): string[] {
  const m = r.metrics;
  // The reason goes last, where its length does not widen the other columns.
  if (!m)
    return [
      r.id,
      r.status === 'not-applicable' ? 'unavailable' : r.status,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      r.reason ?? '',
    ];
  const e = r.energy?.perInference;
  return [
    r.id,
    r.status,
    ms(m.p50Ms / m.batch),
    formatSpeedup(r.speedup),
    r.verdict ?? '',
    Number.isFinite(m.ciPct) ? `±${m.ciPct.toFixed(1)} %` : `? (${m.repetitions} runs)`,
    r.kind === 'baseline' ? '' : ms(m.buildMs),
    `${(m.fileBytes / 1e6).toFixed(2)} MB`,
    `${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    e ? `${(e.value * 1000).toFixed(3)} mJ` : '',
    pct(r.accuracy?.top1Agreement),
    r.accuracy?.accuracy !== undefined ? `${pct(r.accuracy.accuracy)} (fp32 ${pct(r.accuracy.baselineAccuracy)})` : '',
  ];
}

/** The table and its notes. */
export function formatTorchProfile(res: TorchProfileResult): string {
  const head = [
    'variant',
    'status',
    'p50/sample',
    'speed-up (interval)',
    'verdict',
    'p50 CI',
    'build',
    'state_dict',
    'peak RSS',
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
  const env = res.environment;
  const meters = [
    ...new Set(
      res.variants.flatMap((v) => (v.energy ? [`${v.energy.meter} (${v.energy.perInference.provenance})`] : [])),
    ),
  ];
  const meterNote = res.variants.find((v) => v.energy?.meterNote)?.energy?.meterNote;
  const notes = [
    ...res.model.notes.map((n) => `  model: ${n}`),
    ...res.variants.flatMap((v) => [
      ...v.notes.map((n) => `  ${v.id}: ${n}`),
      ...(v.gpuOriented ? [`  ${v.id}: GPU-oriented variant measured on a CPU`] : []),
      ...(v.resolution ? [`  ${v.id}: ${v.resolution}`] : []),
    ]),
    ...res.notes.map((n) => `  ${n}`),
  ];
  const onnx = res.onnxExport
    ? 'path' in res.onnxExport
      ? `ONNX export: ${res.onnxExport.path} (profile it with greenlens profile)`
      : `ONNX export failed: ${res.onnxExport.error}`
    : undefined;
  return [
    `${res.model.label} (${res.model.className}, ${(res.model.parameters / 1e6).toFixed(2)} M parameters) from ${path.basename(res.site.file)}:${res.site.line}`,
    `Python ${env.python} (${env.executable}), torch ${env.torch}${env.torchvision ? `, torchvision ${env.torchvision}` : ''}, ${env.threads} thread${env.threads === 1 ? '' : 's'}, on ${env.device === 'cuda' ? env.deviceName : `${res.machine.cpu} (${res.machine.cores} cores)`}`,
    `weights: ${res.model.weights}; input [${res.model.inputShape.join(', ')}] ${res.model.inputDtype} (${res.model.inputNote})`,
    `inputs: ${res.inputs.description}`,
    '',
    ...lines,
    '',
    `energy: ${meters.join(', ') || 'none'}${meterNote ? ` (${meterNote})` : ''}`,
    ...formatMeasurement(res.measurement),
    ...(onnx ? [onnx] : []),
    ...(notes.length ? ['notes:', ...notes] : []),
    `${(res.durationMs / 1000).toFixed(1)} s; script: ${res.scriptPath}`,
  ].join('\n');
}
