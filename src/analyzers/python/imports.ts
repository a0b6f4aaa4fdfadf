/**
 * Import and alias resolution: maps each local name to the dotted name it stands for, so that
 * `tvm.resnet50`, `cm("vit_base_patch16_224")` and `AutoModel.from_pretrained` resolve to their library
 * names whatever the file called them. Resolution is textual and per file: `import torch.nn as nn` binds
 * `nn` to `torch.nn`, `from timm import create_model as cm` binds `cm` to `timm.create_model`.
 */
import type { SyntaxNode } from './treeSitter';

/** The imports of one file. */
export interface ImportTable {
  /** Local name to dotted name. */
  names: Map<string, string>;
  /** Modules imported with `from m import *`. */
  wildcards: string[];
}

/** Creates an empty table. */
export function emptyImports(): ImportTable {
  return { names: new Map(), wildcards: [] };
}

/**
 * One name an import statement binds (`nn` to `torch.nn`) or one star import. Plain data, so that the
 * document analyzer can keep the bindings of unchanged statements between edits.
 */
export type ImportBinding = { local: string; name: string } | { wildcard: string };

/** The bindings of one `import ...` or `from ... import ...` statement, in order. */
export function importBindings(node: SyntaxNode): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (node.type === 'import_statement') {
    for (const item of node.namedChildren) {
      if (!item) continue;
      if (item.type === 'dotted_name') {
        // `import torch.nn` binds only `torch`, which then resolves attribute chains itself.
        const full = item.text;
        const top = full.split('.')[0] ?? full;
        out.push({ local: top, name: top });
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (name && alias) out.push({ local: alias, name: compact(name) });
      }
    }
    return out;
  }
  const moduleNode = node.childForFieldName('module_name');
  // A relative import binds its names to a leading-dot module (`.models.Net`), which only workspace
  // resolution reads: no library name starts with a dot.
  if (!moduleNode || (moduleNode.type !== 'dotted_name' && moduleNode.type !== 'relative_import')) return out;
  const mod = compact(moduleNode.text);
  for (const item of node.namedChildren) {
    if (!item || item.equals(moduleNode)) continue;
    if (item.type === 'wildcard_import') out.push({ wildcard: mod });
    else if (item.type === 'dotted_name') out.push({ local: item.text, name: joinModule(mod, compact(item.text)) });
    else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (name && alias) out.push({ local: alias, name: joinModule(mod, compact(name)) });
    }
  }
  return out;
}

/** Adds bindings to the table in statement order: a later import of a name replaces an earlier one. */
export function addBindings(table: ImportTable, bindings: readonly ImportBinding[]): void {
  for (const b of bindings) {
    if ('wildcard' in b) table.wildcards.push(b.wildcard);
    else table.names.set(b.local, b.name);
  }
}

/** `m.name`, or `.name` after a bare relative module (`from . import name`). */
function joinModule(mod: string, name: string): string {
  return mod.endsWith('.') ? mod + name : `${mod}.${name}`;
}

/** Drops whitespace and line continuations inside a dotted name. */
function compact(text: string): string {
  return text.replace(/[\s\\]+/g, '');
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Resolves an expression written as a dotted name (`tvm.resnet50`) to its qualified name
 * (`torchvision.models.resnet50`), or undefined when its first part is not imported. Text-based on
 * purpose: no recursion over deep attribute chains, and no tree walk.
 */
export function resolveDotted(table: ImportTable, text: string): string | undefined {
  // Most callees of a file (`len`, `x.mean`) do not start with an imported name: settle those by the
  // leading identifier alone before the full pattern test.
  if (!table.names.has(leadingIdentifier(text))) return undefined;
  if (!DOTTED.test(text)) return undefined;
  const parts = compact(text).split('.');
  const head = parts[0] ?? '';
  const mapped = table.names.get(head);
  if (mapped) return [mapped, ...parts.slice(1)].join('.');
  return undefined;
}

/** The identifier characters at the start of a text (`torch` in `torch . nn`), matching DOTTED's first part. */
function leadingIdentifier(text: string): string {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // [A-Za-z0-9_]
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  return text.slice(0, i);
}

/**
 * Resolves a bare name that may come from `from m import *`, given a predicate that says whether a
 * qualified name is something the analyzer knows (so unknown names stay unresolved).
 */
export function resolveWildcard(
  table: ImportTable,
  name: string,
  known: (qualified: string) => boolean,
): string | undefined {
  for (const mod of table.wildcards) {
    const q = `${mod}.${name}`;
    if (known(q)) return q;
  }
  return undefined;
}

/** The local name under which a module is importable as a whole (`torch`, or its alias), if any. */
export function localNameOf(table: ImportTable, qualified: string): string | undefined {
  for (const [local, q] of table.names) if (q === qualified) return local;
  return undefined;
}
