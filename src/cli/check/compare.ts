/**
 * Comparing the workspace's baseline as it is now with the committed one. Pure. A rise beyond the
 * threshold of a figure whose model changed (resnet18 → resnet34) is a regression only when the two
 * bands do not overlap; inside the overlap the change is "within uncertainty", which fails only under
 * `--strict`. When the model and the hardware are the same on both sides, the two estimates share their
 * method's error, which therefore cannot explain the difference: a rise from an exactly known input
 * (four times the epochs, twice the workload) is a regression whatever the bands.
 *
 * Measured profiles (where the machine that ran `check` had one cached) are compared only with a
 * measurement of the same machine: rising beyond the threshold with disjoint intervals is a regression,
 * with overlapping ones "within uncertainty". Two measurements never share their error (each run has its
 * own noise), so the rule for estimates of the same model does not apply to them.
 */
import type { Band, Baseline, BaselineFinding, BaselineModel } from './baseline';

export type ItemStatus = 'regression' | 'uncertain' | 'improved' | 'new' | 'removed' | 'unchanged';

/** One line of the comparison. */
export interface CheckItem {
  status: ItemStatus;
  /** The identity in the baseline. */
  id: string;
  /** What kind of thing changed. */
  subject: 'model' | 'training' | 'finding';
  file: string;
  line?: number;
  /** The model, run or rule, for people. */
  name: string;
  /** Which figure, when one is compared: `energy per inference`, `yearly energy`, `training energy`. */
  figure?: string;
  old?: Band;
  new?: Band;
  /** Relative change, percent. */
  changePct?: number;
  reason: string;
  /** Rule id of a finding, for SARIF. */
  ruleId?: string;
  severity?: BaselineFinding['severity'];
  /** Set when the figures are measurements (a cached profile), not estimates. */
  measured?: true;
}

export interface CheckOptions {
  /** Percent. */
  threshold: number;
  /** A new model at or above this many GMACs fails. */
  newSiteGmacs: number;
  /** The lowest severity of a new finding that fails. */
  findingSeverity: BaselineFinding['severity'];
  strict: boolean;
}

export interface CheckResult {
  items: CheckItem[];
  /** True when the check fails (exit 1). */
  failed: boolean;
  /** Assumptions that differ between the baseline and now: figures may move for that reason alone. */
  assumptionChanges: string[];
  /** Other things a reader should know, e.g. measurements that were not compared and why. */
  notes: string[];
}

const RANK: Record<BaselineFinding['severity'], number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Bands overlap when neither lies wholly above the other. */
export function bandsOverlap(a: Band, b: Band): boolean {
  return a.low <= b.high && b.low <= a.high;
}

function figureChange(
  old: Band | undefined,
  now: Band | undefined,
  opts: CheckOptions,
  shared: boolean,
): { status: ItemStatus; pct?: number } {
  if (!old || !now || old.unit !== now.unit) return { status: 'unchanged' };
  if (old.value <= 0) return { status: now.value > 0 ? 'uncertain' : 'unchanged' };
  // Rounded so that a rise of exactly the threshold (1 → 1.1 at 10 %) is not tipped over by binary fractions.
  const pct = Number((((now.value - old.value) / old.value) * 100).toFixed(6));
  if (pct > opts.threshold) return { status: !shared && bandsOverlap(old, now) ? 'uncertain' : 'regression', pct };
  if (pct < -opts.threshold) return { status: 'improved', pct };
  return { status: 'unchanged', pct };
}

function reasonOf(
  status: ItemStatus,
  figure: string,
  pct: number | undefined,
  threshold: number,
  shared: boolean,
): string {
  const p = pct === undefined ? '' : `${pct >= 0 ? '+' : ''}${pct.toFixed(0)} %`;
  if (status === 'regression' && shared)
    return `${figure} rose ${p}, more than the ${threshold} % threshold (same model and hardware: both estimates share their error)`;
  if (status === 'regression')
    return `${figure} rose ${p}, more than the ${threshold} % threshold, and the bands do not overlap`;
  if (status === 'uncertain') return `${figure} rose ${p}, but within uncertainty: the old and new bands overlap`;
  if (status === 'improved') return `${figure} fell ${p}`;
  return `${figure} changed ${p}`;
}

type Keyed = { id: string; file: string; line?: number };

/** How to read one kind of entry: its figures, its display name and the model whose estimates they are. */
interface Reading<T> {
  figures: Array<[string, (x: T) => Band | undefined]>;
  name: (x: T) => string;
  model: (x: T) => string | undefined;
}

function compareFigures<T extends Keyed>(
  subject: CheckItem['subject'],
  old: T[],
  now: T[],
  read: Reading<T>,
  opts: CheckOptions,
  sameHardware: boolean,
): CheckItem[] {
  const before = new Map(old.map((x) => [x.id, x]));
  const items: CheckItem[] = [];
  for (const cur of now) {
    const prev = before.get(cur.id);
    if (!prev) continue;
    // The first figure that moved decides; yearly energy follows per-inference energy unless the workload changed.
    let item: CheckItem = {
      status: 'unchanged',
      id: cur.id,
      subject,
      file: cur.file,
      line: cur.line,
      name: read.name(cur),
      reason: 'no change beyond the threshold',
    };
    const model = read.model(cur);
    const shared = sameHardware && model !== undefined && model === read.model(prev);
    for (const [figure, get] of read.figures) {
      const { status, pct } = figureChange(get(prev), get(cur), opts, shared);
      if (status === 'unchanged') continue;
      item = {
        ...item,
        status,
        figure,
        old: get(prev),
        new: get(cur),
        changePct: pct,
        reason: reasonOf(status, figure, pct, opts.threshold, shared),
      };
      if (status === 'regression' || status === 'uncertain') break;
    }
    items.push(item);
  }
  return items;
}

function presence(base: Baseline, now: Baseline, opts: CheckOptions): CheckItem[] {
  const items: CheckItem[] = [];
  const had = new Set(base.models.map((m) => m.id));
  for (const m of now.models.filter((x) => !had.has(x.id))) {
    const big = m.gmacs !== undefined && m.gmacs >= opts.newSiteGmacs;
    const size = m.gmacs === undefined ? 'size unknown' : `${m.gmacs} GMACs`;
    items.push({
      status: big ? 'regression' : 'new',
      id: m.id,
      subject: 'model',
      file: m.file,
      line: m.line,
      name: m.name,
      new: m.energyPerInference,
      figure: m.energyPerInference ? 'energy per inference' : undefined,
      reason: big
        ? `new model (${size}), at or above the ${opts.newSiteGmacs} GMACs limit for new models`
        : `new model (${size})`,
    });
  }
  const has = new Set(now.models.map((m) => m.id));
  for (const m of base.models.filter((x) => !has.has(x.id)))
    items.push({
      status: 'removed',
      id: m.id,
      subject: 'model',
      file: m.file,
      line: m.line,
      name: m.name,
      old: m.energyPerInference,
      reason: 'model removed',
    });
  const hadRun = new Set(base.training.map((t) => t.id));
  for (const t of now.training.filter((x) => !hadRun.has(x.id)))
    items.push({
      status: 'new',
      id: t.id,
      subject: 'training',
      file: t.file,
      line: t.line,
      name: t.model ?? 'training run',
      new: t.energy,
      reason: 'new training run',
    });
  return items;
}

function measuredReason(
  status: ItemStatus,
  pct: number | undefined,
  threshold: number,
  old: NonNullable<BaselineModel['measured']>,
  now: NonNullable<BaselineModel['measured']>,
): string {
  const p = pct === undefined ? '' : `${pct >= 0 ? '+' : ''}${pct.toFixed(0)} %`;
  const when = `measured ${old.measuredAt.slice(0, 10)} and ${now.measuredAt.slice(0, 10)} on ${now.machine}`;
  if (status === 'regression')
    return `measured energy per inference rose ${p}, more than the ${threshold} % threshold, and the intervals do not overlap (${when})`;
  if (status === 'uncertain')
    return `measured energy per inference rose ${p}, but within uncertainty: the intervals overlap (${when})`;
  if (status === 'improved') return `measured energy per inference fell ${p} (${when})`;
  return `measured energy per inference changed ${p} (${when})`;
}

/** Measured profiles of the same model file id on the same machine; notes for those that cannot be compared. */
function measuredItems(base: Baseline, now: Baseline, opts: CheckOptions, notes: string[]): CheckItem[] {
  const before = new Map(base.models.map((m) => [m.id, m]));
  const items: CheckItem[] = [];
  for (const cur of now.models) {
    const old = before.get(cur.id)?.measured;
    const m = cur.measured;
    if (old && !m)
      notes.push(
        `${cur.file}: measured in the baseline (${old.machine}, ${old.measuredAt.slice(0, 10)}) but no profile is cached here; only its estimates are compared.`,
      );
    if (!old || !m) continue;
    if (old.machineId !== m.machineId) {
      notes.push(
        `${cur.file}: measured on ${old.machine} in the baseline and on ${m.machine} now; measurements of different machines are not compared.`,
      );
      continue;
    }
    const { status, pct } = figureChange(old.energyPerInference, m.energyPerInference, opts, false);
    if (status === 'unchanged') continue;
    items.push({
      status,
      id: cur.id,
      subject: 'model',
      file: cur.file,
      line: cur.line,
      name: cur.name,
      figure: 'measured energy per inference',
      old: old.energyPerInference,
      new: m.energyPerInference,
      changePct: pct,
      reason: measuredReason(status, pct, opts.threshold, old, m),
      measured: true,
    });
  }
  return items;
}

function findingItems(base: Baseline, now: Baseline, opts: CheckOptions): CheckItem[] {
  const had = new Set(base.findings.map((f) => f.id));
  const has = new Set(now.findings.map((f) => f.id));
  const items: CheckItem[] = [];
  for (const f of now.findings.filter((x) => !had.has(x.id))) {
    const fails = RANK[f.severity] >= RANK[opts.findingSeverity];
    items.push({
      status: fails ? 'regression' : 'new',
      id: f.id,
      subject: 'finding',
      file: f.file,
      line: f.line,
      name: f.ruleId,
      ruleId: f.ruleId,
      severity: f.severity,
      reason: `new ${f.severity} ${f.ruleId}: ${f.message}`,
    });
  }
  for (const f of base.findings.filter((x) => !has.has(x.id)))
    items.push({
      status: 'removed',
      id: f.id,
      subject: 'finding',
      file: f.file,
      line: f.line,
      name: f.ruleId,
      ruleId: f.ruleId,
      severity: f.severity,
      reason: `${f.ruleId} resolved`,
    });
  return items;
}

function assumptionChanges(base: Baseline, now: Baseline): string[] {
  const a = base.assumptions as unknown as Record<string, unknown>;
  const b = now.assumptions as unknown as Record<string, unknown>;
  return Object.keys(b)
    .filter((k) => a[k] !== undefined && a[k] !== b[k])
    .map((k) => `${k}: ${JSON.stringify(a[k])} → ${JSON.stringify(b[k])}`);
}

const ORDER: ItemStatus[] = ['regression', 'uncertain', 'new', 'improved', 'removed', 'unchanged'];

/** Compares `now` with `base`: every difference as an item, regressions first, and whether the check fails. */
export function compareBaselines(base: Baseline, now: Baseline, opts: CheckOptions): CheckResult {
  const sameHardware =
    base.assumptions.hardware === now.assumptions.hardware &&
    base.assumptions.trainingGpu === now.assumptions.trainingGpu;
  const notes: string[] = [];
  const items = [
    ...compareFigures(
      'model',
      base.models,
      now.models,
      {
        figures: [
          ['energy per inference', (m) => m.energyPerInference],
          ['yearly energy', (m) => m.yearlyEnergy],
        ],
        name: (m) => m.name,
        model: (m) => m.name,
      },
      opts,
      sameHardware,
    ),
    ...compareFigures(
      'training',
      base.training,
      now.training,
      {
        figures: [['training energy', (t) => t.energy]],
        name: (t) => t.model ?? 'training run',
        model: (t) => t.model,
      },
      opts,
      sameHardware,
    ),
    ...measuredItems(base, now, opts, notes),
    ...presence(base, now, opts),
    ...findingItems(base, now, opts),
  ].sort((x, y) => ORDER.indexOf(x.status) - ORDER.indexOf(y.status) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const failed = items.some((i) => i.status === 'regression' || (opts.strict && i.status === 'uncertain'));
  return { items, failed, assumptionChanges: assumptionChanges(base, now), notes };
}
