/**
 * Markdown export, short enough for a pull-request comment: assumptions, models, measured variants,
 * ranked recommendations with verdicts, the evidence of the best ones, and a provenance legend.
 * Every piece of text from the workspace is escaped, so a model or file name cannot break a table,
 * start a link or inject HTML.
 */
import { formatCount, formatNumber, formatEstimate } from '../../energy/quantity';
import type { Report, ReportModel, ReportRecommendation, TradeoffPoint } from '../types';
import { breakEvenText, energyText, meterOf, withBand } from './format';
import { gradeShort } from '../gradeText';
import { groupRecommendations } from '../grouping';
import { countText } from '../wording';

/** How many recommendations get their evidence spelled out. */
const EVIDENCE_FOR = 3;

/** How many recommendations the table lists; the rest are counted (report.json has them all). */
const TABLE_ROWS = 12;

/**
 * Escapes text for a Markdown table cell or a paragraph: inline Markdown punctuation gets a backslash,
 * HTML's `<`, `>` and `&` become entities, line breaks become spaces (a table row is one line), and a
 * text that begins a line or list item (`atLineStart`) gets a leading character that could start a
 * heading, list or quote escaped. Other punctuation (`.`, `-` in a name) stays readable in the raw text.
 */
export function mdEscape(text: string, atLineStart = false): string {
  const inline = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ');
  return atLineStart ? inline.replace(/^([#+\-=!])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2') : inline;
}

const VERDICT: Record<ReportRecommendation['verdict'], string> = {
  'worth-it': '✅ worth it',
  marginal: '⚠️ marginal',
  'not-worth-it': '❌ not worth it',
};

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function where(m: ReportModel): string {
  return mdEscape(m.line ? `${m.file}:${m.line}` : m.file);
}

function modelRows(report: Report): string[][] {
  return report.models.map((m) => {
    const energy = m.profile
      ? report.points.find((p) => p.modelId === m.id && p.series === 'model')?.energyPerInference
      : (m.catalog?.energyPerInference ?? m.static?.energyPerInference);
    return [
      mdEscape(m.name),
      where(m),
      m.static?.params !== undefined ? Math.round(m.static.params).toLocaleString('en-US') : '',
      m.static?.gmacs !== undefined
        ? formatCount(m.static.gmacs * 1e9)
        : m.catalog
          ? formatCount(m.catalog.gmacs * 1e9)
          : '',
      energy ? `${energyText(energy)} ${energy.provenance === 'measured' ? '(M)' : '(E)'}` : 'n/a',
      m.yearly ? `${withBand(m.yearly.energy)}` : 'n/a',
      m.catalog
        ? `${mdEscape(m.catalog.gradeLabel ?? gradeShort(m.catalog))} (${formatNumber(m.catalog.top1)} % top-1)`
        : '',
    ];
  });
}

function pointQuality(p: TradeoffPoint): string {
  return p.quality ? `${formatNumber(p.quality.value)} % ${p.quality.metric}` : '';
}

function variantSection(report: Report): string[] {
  const out: string[] = [];
  for (const m of report.models.filter((x) => x.profile)) {
    const pts = report.points.filter((p) => p.modelId === m.id && p.series !== 'alternative');
    const prof = m.profile!;
    out.push(
      `### ${mdEscape(m.name)}`,
      '',
      `Measured on ${mdEscape(prof.machine.cpu)} (${prof.machine.cores} cores), onnxruntime ${mdEscape(prof.machine.ortVersion)}; inputs: ${mdEscape(prof.inputs.description)}.`,
      '',
    );
    out.push(
      ...table(
        ['variant', 'energy/inference', 'meter', 'latency/sample (95 % CI)', 'quality', 'frontier'],
        pts.map((p) => [
          mdEscape(p.label),
          energyText(p.energyPerInference),
          mdEscape(meterOf(report, p) ?? ''),
          p.latencyMs
            ? `${formatNumber(p.latencyMs.value)} ms (${formatNumber(p.latencyMs.low)}–${formatNumber(p.latencyMs.high)})`
            : '',
          pointQuality(p),
          p.onFrontier ? '★' : '',
        ]),
      ),
      '',
    );
  }
  return out;
}

function recommendationRows(report: Report, recs: readonly ReportRecommendation[]): string[][] {
  const cur = report.assumptions.electricity.currency;
  return recs
    .slice(0, TABLE_ROWS)
    .map((r, i) => [
      String(i + 1),
      VERDICT[r.verdict],
      mdEscape(r.title),
      r.unquantified
        ? 'not quantified'
        : `${formatNumber(r.savings.energy.value)} kWh, ${formatNumber(r.savings.cost.value)} ${mdEscape(cur)}`,
      r.qualityDelta
        ? `${r.qualityDelta.points >= 0 ? '+' : ''}${countText(r.qualityDelta.points, 'point')} ${r.qualityDelta.metric}`
        : '',
      breakEvenText(r.breakEven),
    ]);
}

function evidenceSection(report: Report): string[] {
  const top = report.recommendations.filter((r) => !r.unquantified).slice(0, EVIDENCE_FOR);
  return top.flatMap((r) => [`**${mdEscape(r.title)}**`, '', ...r.evidence.map((e) => `- ${mdEscape(e, true)}`), '']);
}

function legend(report: Report): string[] {
  const methods = new Map<string, string>();
  const add = (q: { provenance: string; method: string }) =>
    methods.set(`${q.provenance}|${q.method}`, `- **${q.provenance}**: ${mdEscape(q.method)}`);
  for (const p of report.points) add(p.energyPerInference);
  for (const m of report.models) if (m.static?.energyPerInference) add(m.static.energyPerInference);
  return [
    '(M) measured by a meter on this machine; (E) estimated by a model, with its band. Methods used in this report:',
    '',
    ...[...methods.values()].sort(),
  ];
}

/**
 * Quantified recommendations as a ranked table with the evidence of the best, then "Also consider": code
 * hygiene nobody measured, as a list (it has no savings or break-even to tabulate).
 */
function recommendationLines(report: Report): string[] {
  const { quantified, alsoConsider } = groupRecommendations(report.recommendations);
  const lines: string[] = [];
  if (quantified.length) {
    lines.push(
      ...table(
        ['#', 'verdict', 'recommendation', 'saves per year', 'quality', 'break-even'],
        recommendationRows(report, quantified),
      ),
      '',
    );
    const more = quantified.length - TABLE_ROWS;
    if (more > 0)
      lines.push(
        `…and ${more} more, ${quantified.slice(TABLE_ROWS).filter((r) => r.verdict === 'not-worth-it').length} of them not worth it (all are in report.json).`,
        '',
      );
    lines.push(...evidenceSection(report));
  } else lines.push('No quantified savings.', '');
  if (alsoConsider.length) {
    lines.push(
      '### Also consider',
      '',
      'Code changes that usually save time and energy but were not measured here: profile before and after to know what they save.',
      '',
    );
    lines.push(...alsoConsider.map((r) => `- ${mdEscape(r.title, true)} (${mdEscape(r.ruleId ?? r.kind)})`), '');
  }
  return lines;
}

/** The report as Markdown. */
export function exportMarkdown(report: Report): string {
  const a = report.assumptions;
  const lines = [
    `# GreenLens report: ${mdEscape(report.workspace)}`,
    '',
    `${mdEscape(report.summary.text)}. Generated ${mdEscape(report.generatedAt)} by GreenLens ${mdEscape(report.tool.version)}; ${countText(report.summary.models, 'model')}, ${report.summary.profiled} profiled.`,
    '',
    '## Assumptions',
    '',
    `- Workload: ${formatNumber(a.inferencesPerDay)} inferences per day per model`,
    `- Electricity: ${formatNumber(a.electricity.perKWh)} ${mdEscape(a.electricity.currency)}/kWh (${mdEscape(a.electricity.source)})`,
    `- Carbon intensity: ${mdEscape(formatEstimate(a.carbonIntensity))}`,
    `- Hardware: ${mdEscape(a.hardware.name)} (${mdEscape(a.hardware.source)})`,
    ...(a.deployment
      ? [
          `- Yearly figures are for the deployment target: ${mdEscape(a.deployment.target)}, batch ${a.deployment.batch} (${mdEscape(a.deployment.method)})`,
        ]
      : []),
    `- Accuracy tolerance: ${countText(a.accuracyTolerance, 'percentage point')} of top-1`,
    ...(a.oneOffCost
      ? [
          `- One-off cost of a change: ${formatNumber(a.oneOffCost.hourlyRate)} ${mdEscape(a.oneOffCost.currency)}/h × ${formatNumber(a.oneOffCost.variantHours)} h (variant), ${formatNumber(a.oneOffCost.alternativeHours)} h (other model), ${formatNumber(a.oneOffCost.codeChangeHours)} h (code change)`,
        ]
      : []),
    '',
    '## Models',
    '',
    ...table(['model', 'where', 'parameters', 'MACs', 'energy/inference', 'yearly energy', 'grade'], modelRows(report)),
    '',
  ];
  const variants = variantSection(report);
  if (variants.length) lines.push('## Measured variants', '', ...variants);
  lines.push('## Recommendations', '', ...recommendationLines(report));
  lines.push('## Provenance', '', ...legend(report), '');
  return lines.join('\n');
}
