/**
 * The Models tree's rows as plain data: the report's models grouped by file, each with its figures, grade,
 * notes and findings as children. Pure (no `vscode`), so every text is unit-tested; the tree turns these
 * rows into TreeItems.
 */
import { formatNumber } from '../../energy/quantity';
import type { Report, ReportFinding, ReportModel } from '../../report/types';
import { amountText, modelLine } from '../../webview/overview/view';
import { approx, energyText, provenanceBadge, withBand } from '../../webview/report/view';

/** A file of the workspace and its models, in line order. */
export interface FileGroup {
  file: string;
  models: ReportModel[];
}

/** One child row of a model: a figure, a note or a finding. */
export interface DetailRow {
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon: string;
  /** Where a click goes (a finding's line). */
  open?: { file: string; line?: number };
}

/** The report's models grouped by file, files and models in a stable order (path, then line). */
export function groupByFile(report: Report): FileGroup[] {
  const groups = new Map<string, ReportModel[]>();
  for (const m of report.models) groups.set(m.file, [...(groups.get(m.file) ?? []), m]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, models]) => ({ file, models: [...models].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) }));
}

/** An unreadable file is a model with the reader's error as its first note. */
export function isUnreadable(m: ReportModel): boolean {
  return m.notes.some((n) => n.startsWith('Unreadable: '));
}

/** The model row's label and its one-line figures ("≈ 255 mJ/inf · grade D · ≈ 0.93 kWh/yr"). */
export function modelRow(m: ReportModel): { label: string; description: string; tooltip: string } {
  const label = m.line ? `${m.name}  :${m.line}` : m.name;
  if (isUnreadable(m)) {
    const why = m.notes.find((n) => n.startsWith('Unreadable: '))!.slice('Unreadable: '.length);
    return { label, description: 'unreadable', tooltip: `${m.file}\n${why}` };
  }
  const description = modelLine(m);
  const tooltip = [
    `${m.name} · ${m.kind === 'onnx' ? 'ONNX file' : `Python${m.framework ? ` (${m.framework})` : ''}`}`,
    `${m.file}${m.line ? `:${m.line}` : ''}`,
    description,
  ].join('\n');
  return { label, description, tooltip };
}

const SEVERITY_ICON: Record<ReportFinding['severity'], string> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'lightbulb',
};

function sizeRow(m: ReportModel): DetailRow | undefined {
  const params = m.static?.params;
  const gmacs = m.static?.gmacs ?? m.catalog?.gmacs;
  const parts = [
    params !== undefined && Number.isFinite(params) ? `${formatNumber(params / 1e6)} M params` : undefined,
    gmacs !== undefined && Number.isFinite(gmacs) ? `${formatNumber(gmacs)} GMACs` : undefined,
  ].filter((x): x is string => x !== undefined);
  return parts.length
    ? {
        label: 'Size',
        description: parts.join(' · '),
        icon: 'symbol-ruler',
        tooltip: m.static ? 'Counted statically from the graph at batch 1' : 'From the catalog',
      }
    : undefined;
}

function energyRow(m: ReportModel): DetailRow | undefined {
  const measured = m.profile?.variants.find((v) => v.kind === 'baseline' && v.energy)?.energy?.perInference;
  const e = measured ?? m.catalog?.energyPerInference ?? m.static?.energyPerInference;
  if (!e || !Number.isFinite(e.value)) return undefined;
  const b = provenanceBadge(e);
  return {
    label: 'Energy per inference',
    description: `${energyText(e)} · ${b.label}`,
    tooltip: b.detail,
    icon: 'zap',
  };
}

function yearlyRow(m: ReportModel): DetailRow | undefined {
  const y = m.yearly;
  if (!y) return undefined;
  return {
    label: 'Per year',
    icon: 'calendar',
    description: [y.energy, y.co2, y.cost].map((q) => `${approx(q)}${amountText(q.value, q.unit)}`).join(' · '),
    tooltip: `Energy ${withBand(y.energy)}\nCO2 ${withBand(y.co2)}\nCost ${withBand(y.cost)}\nAt the workload and on the deployment target of the report's assumptions.`,
  };
}

/** The children of a model row: size, energy, yearly figures, grade, profile, notes and findings. */
export function detailRows(m: ReportModel): DetailRow[] {
  const rows: DetailRow[] = [];
  for (const r of [sizeRow(m), energyRow(m), yearlyRow(m)]) if (r) rows.push(r);
  if (m.catalog)
    rows.push({
      label: 'Grade',
      description: m.catalog.gradeLabel ?? m.catalog.grade,
      tooltip: `Catalog entry ${m.catalog.name} (${m.catalog.library}), top-1 ${formatNumber(m.catalog.top1)} %. ${m.catalog.source}`,
      icon: 'star-empty',
    });
  if (m.profile) {
    const measured = m.profile.variants.filter((v) => v.status === 'measured').length;
    rows.push({
      label: 'Profile',
      description: `${measured} of ${m.profile.variants.length} variants measured on this machine`,
      icon: 'pulse',
    });
  }
  for (const n of m.notes) rows.push({ label: n, icon: isUnreadable(m) ? 'error' : 'info', tooltip: n });
  for (const f of m.findings)
    rows.push({
      label: `${f.ruleId} ${f.message}`,
      description: `line ${f.line}`,
      tooltip: `${f.ruleId} (${f.severity}) at ${f.file}:${f.line}\n${f.message}`,
      icon: SEVERITY_ICON[f.severity],
      open: { file: f.file, line: f.line },
    });
  return rows;
}
