/**
 * The comparison as text for a terminal, Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`,
 * and JSON for other tools. Pure.
 */
import { formatJoules, formatNumber } from '../../energy/quantity';
import { mdEscape } from '../../report/export/markdown';
import type { Band } from './baseline';
import type { CheckItem, CheckResult, ItemStatus } from './compare';

/** A figure with its band: `12.3 mJ (9.8–15.1 mJ, estimated)`. */
export function bandText(b: Band | undefined): string {
  if (!b) return 'n/a';
  const f = b.unit === 'J' ? formatJoules : (x: number): string => `${formatNumber(x)} ${b.unit}`;
  return `${f(b.value)} (${f(b.low)}–${f(b.high)}, ${b.provenance})`;
}

const LABEL: Record<ItemStatus, string> = {
  regression: 'REGRESSION',
  uncertain: 'within uncertainty',
  improved: 'improved',
  new: 'new',
  removed: 'removed',
  unchanged: 'unchanged',
};

const where = (i: CheckItem): string => `${i.file}${i.line !== undefined ? `:${i.line}` : ''}`;

function figures(i: CheckItem): string {
  if (i.old && i.new) return `${bandText(i.old)} → ${bandText(i.new)}`;
  if (i.new) return bandText(i.new);
  if (i.old) return `was ${bandText(i.old)}`;
  return '';
}

/** The items worth showing: everything but unchanged ones. */
const shown = (r: CheckResult): CheckItem[] => r.items.filter((i) => i.status !== 'unchanged');

function verdict(r: CheckResult, strict: boolean): string {
  const count = (s: ItemStatus): number => r.items.filter((i) => i.status === s).length;
  const reg = count('regression');
  const unc = count('uncertain');
  if (r.failed)
    return `${reg + (strict ? unc : 0)} energy regression${reg + (strict ? unc : 0) === 1 ? '' : 's'}${strict && unc ? ' (within-uncertainty changes count under --strict)' : ''}`;
  return `no energy regression${unc ? ` (${unc} change${unc === 1 ? '' : 's'} within uncertainty)` : ''}`;
}

export function formatCheckText(r: CheckResult, strict: boolean): string[] {
  const out: string[] = [];
  for (const i of shown(r)) {
    const fig = figures(i);
    out.push(`${where(i)}: ${LABEL[i.status]}: ${i.name}: ${i.reason}${fig ? `; ${fig}` : ''}`);
  }
  for (const a of r.assumptionChanges)
    out.push(`note: an assumption differs from the baseline's (${a}); figures may move for that reason alone.`);
  for (const n of r.notes) out.push(`note: ${n}`);
  out.push(
    `greenlens check: ${verdict(r, strict)}; ${r.items.length} item${r.items.length === 1 ? '' : 's'} compared.`,
  );
  return out;
}

const ICON: Record<ItemStatus, string> = {
  regression: '❌',
  uncertain: '〰️',
  improved: '✅',
  new: '🆕',
  removed: '➖',
  unchanged: '',
};

export function formatCheckMarkdown(r: CheckResult, strict: boolean): string[] {
  const out = ['## GreenLens energy check', '', `${r.failed ? '❌' : '✅'} **${mdEscape(verdict(r, strict))}**`, ''];
  const rows = shown(r);
  if (rows.length) {
    out.push('| | Where | What | Change | Before → after |', '|---|---|---|---|---|');
    for (const i of rows)
      out.push(
        `| ${ICON[i.status]} ${LABEL[i.status]} | ${mdEscape(where(i))} | ${mdEscape(i.name)} | ${mdEscape(i.reason)} | ${mdEscape(figures(i))} |`,
      );
    out.push('');
  } else out.push('No model, training run or finding changed beyond the threshold.', '');
  for (const a of r.assumptionChanges)
    out.push(`> Note: an assumption differs from the baseline's (${mdEscape(a)}).`, '');
  for (const n of r.notes) out.push(`> Note: ${mdEscape(n)}`, '');
  out.push(
    r.items.some((i) => i.measured)
      ? 'Figures are static estimates (catalog and MAC counts) with their uncertainty bands; those marked measured come from profiles cached on the machine that ran the check, with their confidence intervals.'
      : 'Figures are static estimates (catalog and MAC counts), not measurements on the CI machine; bands are the estimates’ uncertainty.',
  );
  return out;
}

export function formatCheckJson(r: CheckResult): string {
  return JSON.stringify(
    { schemaVersion: 1, failed: r.failed, assumptionChanges: r.assumptionChanges, notes: r.notes, items: r.items },
    null,
    2,
  );
}
