/**
 * Model sites and the catalog: which catalog entry a site in Python code names, how a catalog entry is
 * spelled in the site's framework, and the text edits that swap one for the other (the model id string or
 * builder name, and torchvision's `weights=` argument). Shared by the editor's quick fixes and the report's
 * recommendations. Pure; positions in UTF-16 units like the analyzer's.
 */
import { lookupModel, type CatalogEntry, type ModelMatch } from './catalog';
import type { ModelSite, Position, TextEdit } from '../analyzers/python/types';

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
  if (HF_FRAMEWORKS.has(site.framework))
    return id.includes('/') ? lookupModel(id, { library: 'huggingface' }) : undefined;
  if (site.framework === 'torch.hub') return lookupModel(id);
  return undefined;
}

/** The name a catalog entry gets in the site's code, or undefined when one name edit cannot switch to it. */
export function spellingIn(site: ModelSite, entry: CatalogEntry): string | undefined {
  if (site.framework === 'torchvision')
    return entry.source === 'torchvision' ? /^torchvision:([a-z0-9_]+)\./.exec(entry.name)?.[1] : undefined;
  if (site.framework === 'timm') return entry.source === 'timm' ? entry.name : undefined;
  // transformers loads timm checkpoints from the Hub through its timm integration (TimmWrapper).
  if (HF_FRAMEWORKS.has(site.framework)) return entry.source === 'timm' ? `timm/${entry.name}` : undefined;
  return undefined;
}

/** Offset of a position in `source`, clamped to the text. */
export function offsetAt(source: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = source.indexOf('\n', offset);
    if (nl < 0) return source.length;
    offset = nl + 1;
  }
  const eol = source.indexOf('\n', offset);
  return Math.min(offset + pos.character, eol < 0 ? source.length : eol);
}

/** Position of an offset in `source`. */
export function positionAt(source: string, offset: number): Position {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function edit(source: string, start: number, end: number, newText: string): TextEdit {
  return { range: { start: positionAt(source, start), end: positionAt(source, end) }, newText };
}

/**
 * Replaces the model id of a site: inside its string literal when the id is quoted (hub ids, timm names),
 * otherwise the builder name before the call's parenthesis (`tvm.resnet152(` → `tvm.resnet50(`).
 */
export function modelIdEdit(source: string, site: ModelSite, newName: string): TextEdit | undefined {
  const id = site.modelId;
  if (!id) return undefined;
  const start = offsetAt(source, site.range.start);
  const text = source.slice(start, offsetAt(source, site.range.end));
  const quoted = new RegExp(`(["'])${escapeRegExp(id)}\\1`).exec(text);
  if (quoted) return edit(source, start + quoted.index + 1, start + quoted.index + 1 + id.length, newName);
  const paren = text.indexOf('(');
  const callee = paren < 0 ? text : text.slice(0, paren);
  const m = new RegExp(`\\b${escapeRegExp(id)}\\s*$`).exec(callee);
  if (!m) return undefined;
  return edit(source, start + m.index, start + m.index + id.length, newName);
}

/** Replaces the value of the site's `weights=` keyword argument, when it has one. */
export function weightsEdit(source: string, site: ModelSite, newValue: string): TextEdit | undefined {
  const w = site.args.weights;
  if (w === undefined || w === null) return undefined;
  const start = offsetAt(source, site.range.start);
  const text = source.slice(start, offsetAt(source, site.range.end));
  const value =
    typeof w === 'object' ? escapeRegExp(w.expr) : typeof w === 'string' ? `(["'])${escapeRegExp(w)}\\2` : undefined;
  if (!value) return undefined;
  // The value is group 1; a quoted string's opening quote is group 2, matched again at its end.
  const m = new RegExp(`\\bweights\\s*=\\s*(${value})`).exec(text);
  if (!m || m[1] === undefined) return undefined;
  const valueStart = start + m.index + m[0].length - m[1].length;
  return edit(source, valueStart, valueStart + m[1].length, newValue);
}

/** The range of the model id within the site (for narrow diagnostics), or the whole site. */
export function modelIdRange(source: string, site: ModelSite): ModelSite['range'] {
  return (site.modelId ? modelIdEdit(source, site, site.modelId)?.range : undefined) ?? site.range;
}

/**
 * The edits that replace a site's model with a catalog entry: the builder name or model id string, and
 * for torchvision a `weights=` value that belongs to the old builder (replaced by the tag as a string,
 * which every torchvision builder accepts). Undefined when the source does not show the id where expected.
 */
export function replaceModelEdits(source: string, site: ModelSite, entry: CatalogEntry): TextEdit[] | undefined {
  const name = spellingIn(site, entry);
  if (!name || !site.modelId) return undefined;
  const id = modelIdEdit(source, site, name);
  if (!id) return undefined;
  const edits = [id];
  if (site.framework === 'torchvision') {
    const tag = /\.([A-Z0-9_]+)$/.exec(entry.name)?.[1];
    const w = tag ? weightsEdit(source, site, `"${tag}"`) : undefined;
    if (w) edits.push(w);
  }
  return edits;
}
