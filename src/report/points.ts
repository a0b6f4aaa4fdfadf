/**
 * Points of the energy / quality trade-off chart: per model, the model as it is, its measured variants
 * and its catalog alternatives, each with the frontier flag.
 */
import type { Alternative } from '../catalog/recommend';
import type { ProfileResult, VariantResult } from '../profiler/types';
import type { ResolvedAssumptions } from './assumptions';
import { targetModelOf, type ModelContext } from './models';
import type { TradeoffPoint } from './types';

type Quality = NonNullable<TradeoffPoint['quality']>;

/** The baseline's accuracy on the labelled samples: its own figure, or the one recorded beside a variant's. */
function baselineAccuracy(profile: ProfileResult): number | undefined {
  const base = profile.variants.find((v) => v.kind === 'baseline');
  return (
    base?.accuracy?.accuracy ??
    profile.variants.find((v) => v.accuracy?.baselineAccuracy !== undefined)?.accuracy?.baselineAccuracy
  );
}

/**
 * Quality of a measured variant: true accuracy when the inputs were labelled, else the share of samples
 * whose top-1 class agrees with the fp32 baseline (100 % for the baseline itself by definition).
 */
export function variantQuality(profile: ProfileResult, v: VariantResult): Quality | undefined {
  const a = v.accuracy;
  // Accuracy exists only when there were labels; `inputs.labelled` can be false on a fully cached run.
  const labelled = profile.inputs.labelled || profile.variants.some((x) => x.accuracy?.accuracy !== undefined);
  if (labelled) {
    const acc = v.kind === 'baseline' ? baselineAccuracy(profile) : a?.accuracy;
    if (acc !== undefined)
      return {
        value: acc * 100,
        metric: 'accuracy',
        source: `top-1 accuracy on ${a?.samples ?? 'the'} labelled samples${profile.inputs.description === 'not read' ? '' : ` (${profile.inputs.description})`}`,
      };
  }
  if (v.kind === 'baseline') return { value: 100, metric: 'agreement', source: 'the fp32 baseline agrees with itself' };
  if (a?.top1Agreement !== undefined)
    return {
      value: a.top1Agreement * 100,
      metric: 'agreement',
      source: `top-1 agreement with the fp32 baseline on ${a.samples} samples (${profile.inputs.description})`,
    };
  return undefined;
}

/** Median latency per sample with its 95 % confidence interval. */
function latency(v: VariantResult): TradeoffPoint['latencyMs'] {
  const m = v.metrics;
  if (!m || !(m.batch > 0)) return undefined;
  const value = m.p50Ms / m.batch;
  const half = (value * m.ciPct) / 100;
  return { value, low: Math.max(0, value - half), high: value + half };
}

function profilePoints(ctx: ModelContext, r: ResolvedAssumptions): TradeoffPoint[] {
  const profile = ctx.model.profile;
  if (!profile) return [];
  const out: TradeoffPoint[] = [];
  for (const v of profile.variants) {
    const energy = v.energy?.perInference;
    if (v.status !== 'measured' || !energy) continue;
    const isBase = v.kind === 'baseline';
    const p: TradeoffPoint = {
      modelId: ctx.model.id,
      series: isBase ? 'model' : 'variant',
      label: isBase ? `${ctx.model.name} (as is)` : v.label,
      ref: v.id,
      energyPerInference: energy,
      latencyMs: latency(v),
      onFrontier: false,
      yearly: r.yearly(energy, targetModelOf(ctx)),
    };
    const q = variantQuality(profile, v);
    if (q) p.quality = q;
    out.push(p);
  }
  return out;
}

/** The model as it is when it was not measured: the static or catalog estimate. */
function staticPoint(ctx: ModelContext): TradeoffPoint | undefined {
  if (!ctx.energy) return undefined;
  const p: TradeoffPoint = {
    modelId: ctx.model.id,
    series: 'model',
    label: ctx.model.name,
    energyPerInference: ctx.energy,
    yearly: ctx.model.yearly,
    onFrontier: false,
  };
  if (ctx.entry)
    p.quality = {
      value: ctx.entry.top1,
      metric: 'imagenet-top1',
      source: `ImageNet-1k top-1 of ${ctx.entry.name} (${ctx.model.catalog?.source ?? 'catalog'})`,
    };
  return p;
}

function alternativePoints(ctx: ModelContext, alts: readonly Alternative[], r: ResolvedAssumptions): TradeoffPoint[] {
  return alts.map((a) => ({
    modelId: ctx.model.id,
    series: 'alternative',
    label: a.entry.name,
    ref: a.entry.name,
    energyPerInference: a.energy,
    quality: { value: a.entry.top1, metric: 'imagenet-top1', source: a.evidence[0] ?? 'catalog' },
    yearly: r.yearly(a.energy, { gmacs: a.entry.gmacs, mactsM: a.entry.mactsM }),
    onFrontier: false,
  }));
}

/**
 * Marks the Pareto frontier of one model's points: a point is off it when another point has no more
 * energy and no less quality, and is better in one of them. Points without a quality figure cannot be
 * compared, so they are never marked off.
 */
export function markFrontier(points: TradeoffPoint[]): void {
  for (const p of points) {
    const pq = p.quality?.value;
    p.onFrontier =
      pq === undefined ||
      !points.some((q) => {
        const qq = q.quality?.value;
        if (q === p || qq === undefined || q.quality?.metric !== p.quality?.metric) return false;
        const e = q.energyPerInference.value;
        const pe = p.energyPerInference.value;
        return e <= pe && qq >= pq && (e < pe || qq > pq);
      });
  }
}

/** Every chart point of the report, grouped by model in the order of the models. */
export function buildPoints(contexts: readonly ModelContext[], r: ResolvedAssumptions): TradeoffPoint[] {
  const all: TradeoffPoint[] = [];
  for (const ctx of contexts) {
    const measured = profilePoints(ctx, r);
    const own = measured.length ? measured : [staticPoint(ctx)].filter((p): p is TradeoffPoint => p !== undefined);
    const points = [...own, ...alternativePoints(ctx, ctx.alternatives ?? [], r)];
    markFrontier(points);
    all.push(...points);
  }
  return all;
}
