/** Catalog alternatives to a model site, chosen the way the editor's GL012 hint chooses them. */
import { recommendAlternatives, type Alternative } from '../catalog/recommend';
import type { ResolvedAssumptions } from './assumptions';
import type { ModelContext } from './models';
import { spellingIn } from '../catalog/siteEdits';

/** How many catalog alternatives a model gets as chart points and recommendations. */
export const ALTERNATIVES_PER_MODEL = 5;

/**
 * Catalog alternatives to a Python site, largest yearly savings first: only those the site's framework can
 * load by a name edit (so they can be applied) when there are any, else the others. The recommender
 * already keeps only models within the accuracy tolerance that use less energy per inference.
 */
export function alternativesFor(ctx: Pick<ModelContext, 'entry' | 'site'>, r: ResolvedAssumptions): Alternative[] {
  if (!ctx.entry || !ctx.site) return [];
  const rec = recommendAlternatives(ctx.entry, { ...r.settings, accuracyTolerance: r.assumptions.accuracyTolerance, inferencesPerDay: r.assumptions.inferencesPerDay }, { device: r.device, limit: 10_000 });
  const site = ctx.site;
  const bySavings = (rec?.alternatives ?? []).sort((a, b) => b.savings.energy.value - a.savings.energy.value || (a.entry.id < b.entry.id ? -1 : 1));
  const usable = bySavings.filter((a) => spellingIn(site, a.entry) !== undefined);
  // timm lists some models twice under two names (levit_256 and levit_conv_256): same figures, one entry.
  const seen = new Set<string>();
  return (usable.length ? usable : bySavings).filter((a) => {
    const key = `${a.entry.top1}|${a.entry.gmacs}|${a.entry.imgSize}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, ALTERNATIVES_PER_MODEL);
}

