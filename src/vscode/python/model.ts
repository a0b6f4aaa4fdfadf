/**
 * What GreenLens knows about a model site: its catalog entry, energy per inference on the user's device and
 * the greener alternatives that can replace it in the same framework. Pure (no `vscode`): the editor layer
 * loads this module on first use, because the catalog data is large.
 */
import type { ModelMatch } from '../../catalog/catalog';
import { lookupSite, replaceModelEdits, spellingIn } from '../../catalog/siteEdits';
import { entryInferenceEnergy, recommendAlternatives, type Alternative } from '../../catalog/recommend';
import type { Device } from '../../energy/hardware';
import type { Estimate } from '../../energy/quantity';
import type { ModelSite, TextEdit } from '../../analyzers/python/types';
import type { Settings } from '../../settings';

export { lookupSite, torchvisionWeightsTag } from '../../catalog/siteEdits';

/** Everything the lens, hover and details show about one site. */
export interface SiteModel {
  site: ModelSite;
  /** The name shown to the user: the model id as written, else the callee. */
  label: string;
  match?: ModelMatch;
  /** Energy per inference of the catalog entry on `device`. */
  energy?: Estimate;
  /** Alternatives usable in the same framework, best yearly savings first. */
  alternatives: Alternative[];
  /** Why there are no alternatives although the model is known (framework without a safe rewrite). */
  alternativesNote?: string;
  device?: Device;
  notes: string[];
}

type ModelSettings = Pick<
  Settings,
  'accuracyTolerance' | 'inferencesPerDay' | 'electricityPrice' | 'currency' | 'carbonRegion' | 'carbonIntensity'
>;

/** The name an alternative gets in the site's code, or undefined when it cannot be used there. */
export function alternativeName(site: ModelSite, alt: Alternative): string | undefined {
  return spellingIn(site, alt.entry);
}

/** Describes a site; never throws for bad settings (the figures are then left out and a note says why). */
export function describeSite(site: ModelSite, settings: ModelSettings, device?: Device): SiteModel {
  const label = site.modelId ?? site.callee;
  const out: SiteModel = { site, label, alternatives: [], notes: [], device };
  const match = lookupSite(site);
  if (!match) return out;
  out.match = match;
  if (match.note) out.notes.push(match.note);
  try {
    out.energy = entryInferenceEnergy(match.entry, device);
    const rec = recommendAlternatives(match.entry, settings, { device, limit: 10_000 });
    out.notes.push(...(rec?.notes ?? []));
    out.alternatives = (rec?.alternatives ?? [])
      .filter((a) => spellingIn(site, a.entry) !== undefined)
      .sort((a, b) => b.savings.energy.value - a.savings.energy.value)
      .slice(0, 5);
    if (!spellingIn(site, match.entry) && site.framework !== 'torchvision')
      out.alternativesNote = `GreenLens cannot rewrite ${site.framework} model names safely yet.`;
  } catch (err) {
    out.notes.push(`No energy figure: ${(err as Error).message}`);
  }
  return out;
}

/** The edits that replace a site's model with an alternative (see replaceModelEdits). */
export function alternativeEdits(source: string, site: ModelSite, alt: Alternative): TextEdit[] | undefined {
  return replaceModelEdits(source, site, alt.entry);
}
