/** Plain-text and Markdown renderings of a training estimate, shared by the CLI and the editor command. */
import { formatEstimate, formatNumber, convertEnergy } from '../energy/quantity';
import type { TrainingEstimate } from './training-estimate';

function hours(s: number): string {
  return `${formatNumber(s / 3600)} h`;
}

/** The bound line: shortest possible time, implied share of peak, and the board limit. */
export function boundsText(r: TrainingEstimate): string {
  const b = r.bounds;
  if (b.minDurationS === undefined || b.peakTflops === undefined)
    return `no physical time bound (no data-sheet ${b.precision} peak); power ≤ ${b.boardPowerW} W per board`;
  const share = b.shareOfPeak === undefined ? '' : `, ${(100 * b.shareOfPeak).toFixed(1)} % of peak implied`;
  return `≥ ${hours(b.minDurationS)} at ${r.inputs.gpus} × ${b.peakTflops} TFLOPS dense ${b.precision} peak${share}${b.clamped ? ' (estimate raised to this bound)' : ''}; power ≤ ${b.boardPowerW} W per board`;
}

/** The CLI's lines. */
export function formatTrainingLines(r: TrainingEstimate): string[] {
  const i = r.inputs;
  const lines = [
    `Training ${r.model} on ${i.gpus} × ${r.gpu.name} (${i.precision}${i.batch !== undefined ? `, batch ${i.batch}` : ''}): ${i.epochs} epochs × ${i.images} images at ${i.size} px (${r.gflopsPerImage.toFixed(2)} forward GFLOPs/image)`,
    `  scope        ${r.scope}`,
    `  duration     ${formatEstimate(r.duration)}`,
    `  bound        ${boundsText(r)}`,
    `  energy       ${formatEstimate(convertEnergy(r.energy, 'kWh'))}`,
    `  CO2e         ${formatEstimate(r.co2)}`,
    `  cost         ${formatEstimate(r.cost)}`,
  ];
  if (r.outsideRange.length) lines.push(`  validity     outside the fitting range: ${r.outsideRange.join('; ')}`);
  if (r.baselines) {
    lines.push('  baselines (your duration):');
    lines.push(`    Green Algorithms ${formatEstimate(convertEnergy(r.baselines.greenAlgorithms, 'kWh'))}`);
    lines.push(`    ML CO2 Impact    ${formatEstimate(convertEnergy(r.baselines.mlco2, 'kWh'))}`);
  } else if (r.baselinesNote) lines.push(`  baselines    ${r.baselinesNote}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** The editor command's Markdown page. */
export function formatTrainingMarkdown(r: TrainingEstimate): string {
  const f = formatEstimate;
  const i = r.inputs;
  const rows = [
    `| duration | ${f(r.duration)} | ${r.duration.method} |`,
    `| physical bound | ${boundsText(r)} | 3 × forward FLOPs ÷ (GPUs × dense peak) |`,
    `| energy | ${f(convertEnergy(r.energy, 'kWh'))} | ${r.energy.method} |`,
    `| CO2e | ${f(r.co2)} | ${r.co2.method} |`,
    `| cost | ${f(r.cost)} | ${r.cost.method} |`,
  ];
  if (r.baselines) {
    rows.push(
      `| baseline: Green Algorithms | ${f(convertEnergy(r.baselines.greenAlgorithms, 'kWh'))} | ${r.baselines.greenAlgorithms.method} |`,
    );
    rows.push(
      `| baseline: ML CO2 Impact | ${f(convertEnergy(r.baselines.mlco2, 'kWh'))} | ${r.baselines.mlco2.method} |`,
    );
  }
  return [
    `# Training energy estimate: ${r.model} on ${i.gpus} × ${r.gpu.name}`,
    '',
    `${i.epochs} epochs × ${i.images} images at ${i.size} px, ${i.precision}${i.batch !== undefined ? `, batch ${i.batch}` : ''}; ${r.gflopsPerImage.toFixed(2)} forward GFLOPs per image.`,
    '',
    `Scope: ${r.scope}`,
    '',
    '| figure | estimate | method |',
    '|---|---|---|',
    ...rows,
    ...(r.baselines ? [] : ['', r.baselinesNote ?? '']),
    ...(r.outsideRange.length ? ['', `Outside the fitting range: ${r.outsideRange.join('; ')}.`] : []),
    '',
    '## Sources',
    ...[...new Set([r.energy, r.co2, r.cost, r.duration].flatMap((e) => e.sources))].map((s) => `- ${s}`),
    ...(r.notes.length ? ['', '## Notes', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
