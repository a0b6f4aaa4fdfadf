/**
 * Ranked recommendations: measured variants against their baseline, catalog alternatives to model sites,
 * and code changes from green-rule findings with a fix. Every one states its savings at the assumed
 * workload, its break-even against a stated one-off cost, a verdict and the evidence behind them.
 */
import { convertEnergy, formatJoules, formatNumber, makeEstimate, type Estimate } from '../energy/quantity';
import { yearlyImpact, type YearlyImpact } from '../energy/workload';
import type { RatioInterval, VariantResult } from '../profiler/types';
import type { ResolvedAssumptions } from './assumptions';
import { targetModelOf, type ModelContext } from './models';
import { variantQuality } from './points';
import { replaceModelEdits, spellingIn } from '../catalog/siteEdits';
import type { ReportAction, ReportRecommendation } from './types';
import { breakEvenOf, judge, oneOffCost, type RecommendationKind } from './verdict';
import { alternativeTitle, needsAbsentGpu } from './grouping';

/** Variants that change a setting rather than the model file have nothing to save. */
const NO_FILE_KINDS = new Set(['baseline', 'threads', 'batch']);

/**
 * Energy saved per inference by a variant. Both readings come from the same meter or estimator on the
 * same machine, so its scale uncertainty (TDP band, meter calibration) is shared: it scales the
 * difference instead of being subtracted end to end, which would make every band include zero.
 *
 * A variant measured interleaved with its baseline carries an energy ratio with an interval from paired
 * blocks; the saving is the baseline's energy times (1 − ratio), its band from the ratio's interval. When
 * that interval holds 1 there is no measurable difference and no saving is claimed: the value is zero and
 * the band says how far either way the truth could be. Older results without a ratio fall back to the
 * medians' confidence intervals added in quadrature. Readings from different meters fall back to the
 * conservative end-to-end band.
 */
export function savedPerInference(base: VariantResult, v: VariantResult): Estimate | undefined {
  if (!base.energy || !v.energy) return undefined;
  const eb = convertEnergy(base.energy.perInference, 'J');
  const ev = convertEnergy(v.energy.perInference, 'J');
  // A reading without a finite value and band (a meter that failed part-way) supports no saving at all.
  if (![eb.value, eb.low, eb.high, ev.value, ev.low, ev.high].every(Number.isFinite)) return undefined;
  const d = eb.value - ev.value;
  const provenance = eb.provenance === 'measured' && ev.provenance === 'measured' ? 'measured' : 'estimated';
  const sources = [...eb.sources, ...ev.sources];
  if (base.energy.meter !== v.energy.meter || !(eb.value > 0)) {
    return makeEstimate(d, 'J', {
      low: eb.low - ev.high,
      high: eb.high - ev.low,
      provenance,
      method: 'difference of energy per inference (end to end)',
      sources,
    });
  }
  const [rl, rh] = [eb.low / eb.value, eb.high / eb.value];
  const r = v.energyRatio;
  if (r && Number.isFinite(r.value) && Number.isFinite(r.low) && Number.isFinite(r.high)) {
    const lo = eb.value * (1 - r.high);
    const hi = eb.value * (1 - r.low);
    const real = r.high < 1 || r.low > 1;
    return makeEstimate(real ? eb.value * (1 - r.value) : 0, 'J', {
      low: Math.min(lo * rl, lo * rh),
      high: Math.max(hi * rl, hi * rh),
      provenance,
      method: `baseline energy × (1 − paired energy ratio), same meter (${v.energy.meter})`,
      sources,
      notes: [
        real
          ? `The energy ratio ${formatRatio(r)} comes from blocks measured interleaved with the baseline; the meter's scale band scales the difference.`
          : `No measurable difference: the energy ratio's interval ${formatRatio(r)} holds 1, so no saving is claimed.`,
      ],
    });
  }
  const noise = Math.hypot((eb.value * (base.metrics?.ciPct ?? 0)) / 100, (ev.value * (v.metrics?.ciPct ?? 0)) / 100);
  return makeEstimate(d, 'J', {
    low: Math.min(d * rl, d * rh) - noise,
    high: Math.max(d * rl, d * rh) + noise,
    provenance,
    method: `difference of energy per inference, same meter (${v.energy.meter})`,
    sources,
    notes: [
      "The meter's scale band is shared by both readings and scales the difference; the medians' 95 % CIs add in quadrature.",
    ],
  });
}

/** `0.82 (0.78–0.86)`. */
function formatRatio(r: RatioInterval): string {
  return `${formatNumber(r.value)} (${formatNumber(r.low)}–${formatNumber(r.high)})`;
}

/** True when a variant's energy ratio is known and its interval holds 1. */
function noMeasurableDifference(v: VariantResult): boolean {
  const r = v.energyRatio;
  return r !== undefined && !(r.high < 1) && !(r.low > 1);
}

function savingsLine(s: YearlyImpact): string {
  const e = s.energy;
  return `Saves ${formatNumber(e.value)} kWh/yr (${formatNumber(e.low)} to ${formatNumber(e.high)}), ${formatNumber(s.co2.value)} kgCO2e/yr and ${formatNumber(s.cost.value)} ${s.cost.unit}/yr (${e.provenance}: ${e.method}).`;
}

interface Draft {
  id: string;
  ctx: ModelContext;
  kind: RecommendationKind;
  title: string;
  savings: YearlyImpact;
  qualityDelta?: ReportRecommendation['qualityDelta'];
  evidence: string[];
  action?: ReportAction;
  ruleId?: string;
  /** Why no saving is claimed: the measurement found no difference from the baseline. */
  noDifference?: string;
}

function finish(d: Draft, r: ResolvedAssumptions): ReportRecommendation {
  const one = oneOffCost(d.kind, r.oneOff, r.tariff.currency);
  const be = breakEvenOf(one.cost, d.savings);
  const judged = judge(d.savings, be, d.qualityDelta, r.assumptions.accuracyTolerance);
  const { verdict, reason } = d.noDifference
    ? { verdict: 'not-worth-it' as const, reason: `Not worth it: ${d.noDifference}` }
    : judged;
  const rec: ReportRecommendation = {
    id: d.id,
    modelId: d.ctx.model.id,
    kind: d.kind,
    title: d.title,
    savings: d.savings,
    breakEven: be,
    verdict,
    evidence: [reason, savingsLine(d.savings), ...d.evidence, one.evidence],
  };
  if (d.qualityDelta) rec.qualityDelta = d.qualityDelta;
  if (d.action) rec.action = d.action;
  if (d.ruleId) rec.ruleId = d.ruleId;
  return rec;
}

function qualityDelta(ctx: ModelContext, base: VariantResult, v: VariantResult): ReportRecommendation['qualityDelta'] {
  const profile = ctx.model.profile!;
  const qb = variantQuality(profile, base);
  const qv = variantQuality(profile, v);
  return qb && qv && qb.metric === qv.metric ? { points: qv.value - qb.value, metric: qv.metric } : undefined;
}

function variantEvidence(ctx: ModelContext, base: VariantResult, v: VariantResult): string[] {
  const p = ctx.model.profile!;
  const eb = base.energy!.perInference;
  const ev = v.energy!.perInference;
  const out = [
    `Measured on ${p.machine.cpu} (${p.machine.cores} cores), onnxruntime ${p.machine.ortVersion}: ${formatJoules(ev.value)} vs ${formatJoules(eb.value)} per inference (${ev.provenance}: ${ev.method}, ${v.energy!.meter}).`,
  ];
  if (v.metrics && base.metrics)
    out.push(
      `Median latency ${formatNumber(v.metrics.p50Ms / v.metrics.batch)} ms vs ${formatNumber(base.metrics.p50Ms / base.metrics.batch)} ms per sample (±${formatNumber(v.metrics.ciPct)} % 95 % CI, ${v.metrics.repetitions} repetitions).`,
    );
  if (v.speedup && v.verdict) {
    const level = p.measurement ? `${Math.round(p.measurement.level * 100)} %` : '95 %';
    const rounds = p.measurement ? ` over ${p.measurement.rounds} interleaved rounds` : '';
    out.push(`Speed-up ${formatRatio(v.speedup)}× (${level} interval${rounds}): ${v.verdict}.`);
  }
  if (v.resolution) out.push(v.resolution);
  const q = variantQuality(p, v);
  if (q)
    out.push(
      `Quality ${formatNumber(q.value)} % ${q.metric}: ${q.source}${q.metric === 'agreement' ? '; agreement with the baseline on these inputs is not accuracy on real data' : ''}.`,
    );
  if (v.energy!.meterNote) out.push(v.energy!.meterNote);
  if (v.gpuOriented) out.push('This variant targets GPUs and was measured on a CPU.');
  if (v.metrics?.budgetExhausted) out.push('The time budget ended before the latency confidence target was reached.');
  out.push(...v.notes);
  return out;
}

function variantDrafts(ctx: ModelContext, r: ResolvedAssumptions): Draft[] {
  const profile = ctx.model.profile;
  const base = profile?.variants.find((v) => v.kind === 'baseline' && v.status === 'measured' && v.energy);
  if (!profile || !base) return [];
  const out: Draft[] = [];
  for (const v of profile.variants) {
    if (v === base || v.status !== 'measured' || !v.energy || v.kind === 'baseline') continue;
    const saved = savedPerInference(base, v);
    if (!saved) continue;
    const d: Draft = {
      id: `variant:${ctx.model.id}:${v.id}`,
      ctx,
      kind: 'variant',
      title: `${v.label} of ${ctx.model.name}`,
      savings: r.yearly(saved, targetModelOf(ctx)),
      qualityDelta: qualityDelta(ctx, base, v),
      evidence: variantEvidence(ctx, base, v),
    };
    if (noMeasurableDifference(v) && v.energyRatio)
      d.noDifference = `no measurable difference in energy from the baseline (energy ratio ${formatRatio(v.energyRatio)}, an interval that holds 1), so no saving is claimed.`;
    if (!NO_FILE_KINDS.has(v.kind) && v.modelPath)
      d.action = { type: 'saveVariant', modelId: ctx.model.id, variantId: v.id, modelPath: v.modelPath };
    out.push(d);
  }
  return out;
}

function alternativeDrafts(ctx: ModelContext): Draft[] {
  const site = ctx.site;
  if (!site) return [];
  return (ctx.alternatives ?? []).map((a) => {
    const name = spellingIn(site, a.entry);
    const d: Draft = {
      id: `alternative:${ctx.model.id}:${a.entry.name}`,
      ctx,
      kind: 'alternative-model',
      title: alternativeTitle(name, a.entry.name, ctx.model.name),
      savings: a.savings,
      qualityDelta: { points: a.top1Delta, metric: 'imagenet-top1' },
      ruleId: 'GL012',
      evidence: [
        ...a.evidence,
        `Current model: ${formatNumber(ctx.energy?.value ?? NaN)} J per inference (${ctx.energy?.method ?? 'unknown'}).`,
      ],
    };
    const edits = ctx.source !== undefined ? replaceModelEdits(ctx.source, site, a.entry) : undefined;
    if (edits) d.action = { type: 'applyEdit', file: ctx.model.file, title: d.title, edits };
    else
      d.evidence.push(
        name
          ? 'No edit offered: the source text was not available or does not show the model name where expected.'
          : `${site.framework} cannot load ${a.entry.name} by a name change: switching needs code changes.`,
      );
    return d;
  });
}

const UNQUANTIFIED =
  'Not measured here: no energy figure exists for this change without running the code. Profile the model before and after it to know what it saves.';

function codeChangeDrafts(ctx: ModelContext, r: ResolvedAssumptions): Draft[] {
  const withFix = ctx.model.findings.filter((f) => f.fix && f.fix.edits.length > 0);
  // A change that only helps on a GPU is not suggested for hardware without one; the model says why.
  const fixable = withFix.filter((f) => !needsAbsentGpu(f, r.device.kind));
  for (const f of withFix.filter((x) => !fixable.includes(x))) {
    ctx.model.notes.push(
      `Not suggested: ${f.fix!.title} (${f.ruleId}, ${f.file}:${f.line}) needs a GPU, and the hardware these figures are for (${r.assumptions.hardware.name}) has none.`,
    );
  }
  if (fixable.length === 0) return [];
  const zero = yearlyImpact(
    makeEstimate(0, 'J', { method: 'not quantified' }),
    r.assumptions.inferencesPerDay,
    r.intensity,
    r.tariff,
  );
  return fixable.map((f) => ({
    id: `code:${f.file}:${f.line}:${f.ruleId}`,
    ctx,
    kind: 'code-change',
    title: `${f.fix!.title} (${f.file}:${f.line})`,
    savings: zero,
    ruleId: f.ruleId,
    evidence: [`${f.ruleId} at ${f.file}:${f.line}: ${f.message}`, `Rule page: docs/rules/${f.ruleId}.md.`],
    action: { type: 'applyEdit', file: f.file, title: f.fix!.title, edits: f.fix!.edits },
  }));
}

function finishUnquantified(d: Draft, r: ResolvedAssumptions): ReportRecommendation {
  const one = oneOffCost(d.kind, r.oneOff, r.tariff.currency);
  const rec: ReportRecommendation = {
    id: d.id,
    modelId: d.ctx.model.id,
    kind: d.kind,
    title: d.title,
    savings: d.savings,
    verdict: 'marginal',
    unquantified: UNQUANTIFIED,
    breakEven: { worthIt: false, message: 'No break-even: the savings of this change were not measured.' },
    evidence: [`Savings not quantified. ${UNQUANTIFIED}`, ...d.evidence, one.evidence],
  };
  if (d.action) rec.action = d.action;
  if (d.ruleId) rec.ruleId = d.ruleId;
  return rec;
}

/** Ranking group: quantified and worth considering first, then unquantified, then not worth it. */
function group(rec: ReportRecommendation): number {
  if (rec.verdict === 'not-worth-it') return 2;
  return rec.unquantified ? 1 : 0;
}

/** Sorts in place by group, then yearly energy saved (largest first), then id for a stable order. */
export function rankRecommendations(recs: ReportRecommendation[]): ReportRecommendation[] {
  return recs.sort(
    (a, b) =>
      group(a) - group(b) ||
      b.savings.energy.value - a.savings.energy.value ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Every recommendation of the report, ranked; ids are unique. */
export function buildRecommendations(
  contexts: readonly ModelContext[],
  r: ResolvedAssumptions,
): ReportRecommendation[] {
  const recs: ReportRecommendation[] = [];
  const seen = new Map<string, number>();
  const unique = (id: string): string => {
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    return n === 0 ? id : `${id}#${n + 1}`;
  };
  for (const ctx of contexts) {
    for (const d of [...variantDrafts(ctx, r), ...alternativeDrafts(ctx)])
      recs.push(finish({ ...d, id: unique(d.id) }, r));
    for (const d of codeChangeDrafts(ctx, r)) recs.push(finishUnquantified({ ...d, id: unique(d.id) }, r));
  }
  return rankRecommendations(recs);
}
