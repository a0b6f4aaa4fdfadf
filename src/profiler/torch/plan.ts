/**
 * From a model site found by the Python analyzer to the site the harness builds, and the choice of a site
 * by line. Pure.
 */
import type { ModelSite } from '../../analyzers/python/types';
import type { TorchSite, TorchSiteKind } from './types';

/** The torchvision weights tag of a `weights=` argument (`IMAGENET1K_V2`, `DEFAULT`), when it names one. */
export function weightsTag(site: ModelSite): string | undefined {
  const w = site.args.weights;
  const text = typeof w === 'string' ? w : w && typeof w === 'object' ? w.expr : undefined;
  const m = text ? /(?:^|\.)(IMAGENET1K_[A-Z0-9_]+|DEFAULT)$/i.exec(text.trim()) : null;
  return m?.[1]?.toUpperCase();
}

function kindOf(site: ModelSite): TorchSiteKind | string {
  const { framework: fw, kind } = site;
  if (fw === 'torchvision') return kind === 'create' ? 'torchvision' : `torchvision ${kind} sites are not supported`;
  if (fw === 'timm')
    return kind !== 'create'
      ? `timm ${kind} sites are not supported`
      : site.modelId
        ? 'timm'
        : 'the timm model name is not a literal';
  if (fw === 'transformers') {
    if (kind === 'pipeline')
      return 'pipelines wrap pre- and post-processing; profile the model class (AutoModelFor…from_pretrained) instead';
    return site.modelId ? 'transformers' : 'the Hugging Face model id is not a literal';
  }
  if (fw === 'torch') {
    if (kind === 'load' && site.boundTo.length === 0)
      return 'a torch.load whose result is not bound to a variable (put the lens on the model it is loaded into)';
    return 'module';
  }
  return `${fw} models are not PyTorch models GreenLens can rebuild`;
}

/** Why a site cannot be profiled with PyTorch, or undefined when it can. */
export function unsupportedReason(site: ModelSite): string | undefined {
  const k = kindOf(site);
  return k === 'torchvision' || k === 'timm' || k === 'transformers' || k === 'module' ? undefined : k;
}

/** True for the sites the PyTorch profiler can build. */
export function isTorchProfilable(site: ModelSite): boolean {
  return unsupportedReason(site) === undefined;
}

/** The harness's view of a site; throws with the reason when the site is not supported. */
export function torchSiteOf(site: ModelSite, file: string): TorchSite {
  const reason = unsupportedReason(site);
  if (reason) throw new Error(`GreenLens cannot profile this site with PyTorch: ${reason}.`);
  const kind = kindOf(site) as TorchSiteKind;
  const out: TorchSite = {
    kind,
    file,
    line: site.range.start.line + 1,
    label: site.modelId ?? site.callee,
    framework: site.framework,
    siteKind: site.kind,
    callee: site.callee,
    boundTo: site.boundTo,
    args: site.args,
  };
  if (site.modelId) out.modelId = site.modelId;
  if (kind === 'module' && site.kind !== 'load') out.className = site.modelId ?? site.callee;
  if (site.pretrained !== undefined) out.pretrained = site.pretrained;
  const tag = kind === 'torchvision' ? weightsTag(site) : undefined;
  if (tag) out.weights = tag;
  return out;
}

const PREFERENCE: Record<ModelSite['kind'], number> = { create: 0, load: 1, pipeline: 2, define: 3 };

/**
 * The site at a 1-based line: one that starts there, else the innermost one spanning it; creations before
 * loads before class definitions. Returns the index into `sites`, or an error listing the lines with sites.
 */
export function pickSite(sites: ModelSite[], line: number): { index: number } | { error: string } {
  const at = (s: ModelSite) => s.range.start.line + 1 === line;
  const spans = (s: ModelSite) => s.range.start.line + 1 <= line && line <= s.range.end.line + 1;
  const candidates = sites.map((s, i) => ({ s, i })).filter(({ s }) => at(s));
  const pool = candidates.length > 0 ? candidates : sites.map((s, i) => ({ s, i })).filter(({ s }) => spans(s));
  pool.sort((a, b) => PREFERENCE[a.s.kind] - PREFERENCE[b.s.kind] || b.s.range.start.line - a.s.range.start.line);
  const hit = pool.find(({ s }) => isTorchProfilable(s)) ?? pool[0];
  if (hit) return { index: hit.i };
  const lines = [...new Set(sites.filter(isTorchProfilable).map((s) => s.range.start.line + 1))];
  return {
    error:
      lines.length > 0
        ? `no model site at line ${line}; PyTorch sites are at line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`
        : 'the file has no PyTorch model site',
  };
}
