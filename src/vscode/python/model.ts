/**
 * What GreenLens knows about a model site: its catalog entry, energy per inference on the user's device and
 * the greener alternatives that can replace it in the same framework. Pure (no `vscode`): the editor layer
 * loads this module on first use, because the catalog data is large.
 */
import { lookupModel, type CatalogEntry, type ModelMatch } from '../../catalog/catalog';
import { entryInferenceEnergy, recommendAlternatives, type Alternative } from '../../catalog/recommend';
import type { Device } from '../../energy/hardware';
import type { Estimate } from '../../energy/quantity';
import type { ModelSite, TextEdit } from '../../analyzers/python/types';
import type { Settings } from '../../settings';
import { modelIdEdit, weightsEdit } from './edits';

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

const HF_FRAMEWORKS = new Set(['transformers', 'sentence-transformers', 'diffusers']);

/** The torchvision weights tag of a site (`IMAGENET1K_V2`), when its `weights` argument names one. */
export function torchvisionWeightsTag(site: ModelSite): string | undefined {
  const w = site.args.weights;
  const text = typeof w === 'string' ? w : w && typeof w === 'object' ? w.expr : undefined;
  const m = text ? /(?:^|\.)(IMAGENET1K_[A-Z0-9_]+|DEFAULT)$/i.exec(text.trim()) : null;
  return m?.[1]?.toUpperCase();
}

/** Maps a site to the catalog, for the frameworks whose names the catalog understands. */
export function lookupSite(site: ModelSite): ModelMatch | undefined {
  const id = site.modelId;
  if (!id) return undefined;
  if (site.framework === 'torchvision') {
    const tag = torchvisionWeightsTag(site);
    return lookupModel(`torchvision:${id}${tag && tag !== 'DEFAULT' ? `.${tag}` : ''}`);
  }
  if (site.framework === 'timm') return lookupModel(id, { library: 'timm' });
  if (HF_FRAMEWORKS.has(site.framework)) return id.includes('/') ? lookupModel(id, { library: 'huggingface' }) : undefined;
  if (site.framework === 'torch.hub') return lookupModel(id);
  return undefined;
}

type ModelSettings = Pick<Settings, 'accuracyTolerance' | 'inferencesPerDay' | 'electricityPrice' | 'currency' | 'carbonRegion' | 'carbonIntensity'>;

/** Which catalog entries can replace a site's model by editing one name, and how it is spelled there. */
function spelling(site: ModelSite, entry: CatalogEntry): string | undefined {
  if (site.framework === 'torchvision') return entry.source === 'torchvision' ? /^torchvision:([a-z0-9_]+)\./.exec(entry.name)?.[1] : undefined;
  if (site.framework === 'timm') return entry.source === 'timm' ? entry.name : undefined;
  // transformers loads timm checkpoints from the Hub through its timm integration (TimmWrapper).
  if (HF_FRAMEWORKS.has(site.framework)) return entry.source === 'timm' ? `timm/${entry.name}` : undefined;
  return undefined;
}

/** The name an alternative gets in the site's code, or undefined when it cannot be used there. */
export function alternativeName(site: ModelSite, alt: Alternative): string | undefined {
  return spelling(site, alt.entry);
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
      .filter((a) => spelling(site, a.entry) !== undefined)
      .sort((a, b) => b.savings.energy.value - a.savings.energy.value)
      .slice(0, 5);
    if (!spelling(site, match.entry) && site.framework !== 'torchvision') out.alternativesNote = `GreenLens cannot rewrite ${site.framework} model names safely yet.`;
  } catch (err) {
    out.notes.push(`No energy figure: ${(err as Error).message}`);
  }
  return out;
}

/**
 * The edits that replace a site's model with an alternative: the builder name or model id string, and for
 * torchvision a `weights=` enum that belongs to the old builder (the enum name is replaced by the tag as a
 * string, which every torchvision builder accepts).
 */
export function alternativeEdits(source: string, site: ModelSite, alt: Alternative): TextEdit[] | undefined {
  const name = spelling(site, alt.entry);
  if (!name || !site.modelId) return undefined;
  const id = modelIdEdit(source, site, name);
  if (!id) return undefined;
  const edits = [id];
  if (site.framework === 'torchvision') {
    const tag = /\.([A-Z0-9_]+)$/.exec(alt.entry.name)?.[1];
    const w = tag ? weightsEdit(source, site, `"${tag}"`) : undefined;
    if (w) edits.push(w);
  }
  return edits;
}
