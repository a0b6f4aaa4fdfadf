/**
 * The regions around a call that change what it means: `with torch.no_grad()` / `inference_mode` blocks
 * and decorated functions, autocast regions, and loops. Found by walking up from the few calls that
 * matter, which is far cheaper than querying every block of a large file.
 */
import type { FileFacts, Span } from './extract';
import { AUTOCAST, NO_GRAD } from './frameworks';
import { resolveDotted } from './imports';
import { ancestorsOf, type SyntaxNode } from './treeSitter';

/** What encloses a node, up to the module. */
export interface CallScope {
  /** `for` and `while` statements of the enclosing function, innermost first. */
  loops: SyntaxNode[];
  noGrad: boolean;
  autocast: boolean;
  /** Names of the enclosing classes. */
  classes: string[];
}

/** True when `pos` lies inside one of the spans. */
export function inside(spans: readonly Span[], pos: number): boolean {
  for (const s of spans) if (pos >= s.start && pos < s.end) return true;
  return false;
}

/** Resolves each `name(` in a header (with items, decorators) and says what kind of region it opens. */
function regionKinds(facts: FileFacts, header: string): { noGrad: boolean; autocast: boolean } {
  const out = { noGrad: false, autocast: false };
  for (const m of header.matchAll(/([A-Za-z_][\w.]*)\s*(\()?/g)) {
    const q = m[1] ? resolveDotted(facts.imports, m[1]) : undefined;
    if (!q) continue;
    if (NO_GRAD.has(q)) out.noGrad = true;
    else if (AUTOCAST.has(q)) out.autocast = true;
    else if (
      q === 'torch.set_grad_enabled' &&
      /^\s*\(\s*(?:mode\s*=\s*)?False\s*\)/.test(header.slice((m.index ?? 0) + m[0].length - 1))
    )
      out.noGrad = true;
  }
  return out;
}

/** Bounded so that pathological nesting cannot make one call's scope expensive. */
const MAX_DEPTH = 500;

/** Walks up from a node and reports its enclosing loops, no-grad and autocast regions and classes. */
export function scopeOf(facts: FileFacts, node: SyntaxNode): CallScope {
  const scope: CallScope = { loops: [], noGrad: false, autocast: false, classes: [] };
  let inFunction = false;
  const chain = ancestorsOf(node, MAX_DEPTH);
  for (const [i, cur] of chain.entries()) {
    const type = cur.type;
    if ((type === 'for_statement' || type === 'while_statement') && !inFunction) scope.loops.push(cur);
    else if (type === 'with_statement') {
      const body = cur.childForFieldName('body');
      const k = regionKinds(facts, facts.source.slice(cur.startIndex, body?.startIndex ?? cur.startIndex));
      scope.noGrad ||= k.noGrad;
      scope.autocast ||= k.autocast;
    } else if (type === 'function_definition') {
      inFunction = true;
      const parent = chain[i + 1] ?? cur.parent;
      const decorated = parent?.type === 'decorated_definition' ? parent : undefined;
      if (decorated) {
        const k = regionKinds(facts, facts.source.slice(decorated.startIndex, cur.startIndex));
        scope.noGrad ||= k.noGrad;
        scope.autocast ||= k.autocast;
      }
    } else if (type === 'class_definition') {
      const name = cur.childForFieldName('name');
      if (name) scope.classes.push(name.text);
    }
  }
  return scope;
}
