/** Catalog alternatives to a model site, chosen the way the editor's GL012 hint chooses them. */
import { recommendAlternatives, type Alternative } from '../catalog/recommend';
import type { ResolvedAssumptions } from './assumptions';
import type { ModelContext } from './models';
import { spellingIn } from '../catalog/siteEdits';
import { convertEnergy } from '../energy/quantity';
import { mergeWeightVariants, splitWeights } from './grouping';

/** How many catalog alternatives a model gets as chart points and recommendations. */
export const ALTERNATIVES_PER_MODEL = 5;

/**
 * Catalog alternatives to a Python site, largest yearly savings first: only those the site's framework can
 * load by a name edit (so they can be applied) when there are any, else the others. The recommender
 * already keeps only models within the accuracy tolerance that use less energy per inference.
 */
export function alternativesFor(ctx: Pick<ModelContext, 'entry' | 'site'>, r: ResolvedAssumptions): Alternative[] {
  if (!ctx.entry || !ctx.site) return [];
  const rec = recommendAlternatives(
    ctx.entry,
    {
      ...r.settings,
      accuracyTolerance: r.assumptions.accuracyTolerance,
      inferencesPerDay: r.assumptions.inferencesPerDay,
    },
    { device: r.device, limit: 10_000 },
  );
  const site = ctx.site;
  const bySavings = (rec?.alternatives ?? []).sort(
    (a, b) => b.savings.energy.value - a.savings.energy.value || (a.entry.id < b.entry.id ? -1 : 1),
  );
  const usable = bySavings.filter((a) => spellingIn(site, a.entry) !== undefined);
  // timm lists some models twice under two names (levit_256 and levit_conv_256): same figures, one entry.
  const seen = new Set<string>();
  const distinct = (usable.length ? usable : bySavings).filter((a) => {
    const key = `${a.entry.top1}|${a.entry.gmacs}|${a.entry.imgSize}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return withoutWeightTwins(distinct).slice(0, ALTERNATIVES_PER_MODEL);
}

/**
 * One alternative per architecture when catalog entries differ only by their weights (torchvision's V1
 * and V2): the weights that are as frugal and more accurate stay, and say which others they stand for.
 */
function withoutWeightTwins(alts: readonly Alternative[]): Alternative[] {
  const { kept, merged } = mergeWeightVariants(alts, (a) => ({
    name: a.entry.name,
    imgSize: a.entry.imgSize,
    energy: convertEnergy(a.energy, 'J').value,
    top1: a.entry.top1,
  }));
  return kept.map((a) => {
    const others = merged.get(a);
    if (!others?.length) return a;
    const names = others.map((n) => splitWeights(n).weights ?? n).join(', ');
    const own = splitWeights(a.entry.name).weights ?? a.entry.name;
    return {
      ...a,
      evidence: [
        ...a.evidence,
        `The same architecture with other weights (${names}) is listed once: the ${own} weights use no more energy and are at least as accurate.`,
      ],
    };
  });
}
