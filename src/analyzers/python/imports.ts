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

/** Adds one `import ...` or `from ... import ...` statement to the table. Relative imports are ignored. */
export function addImport(table: ImportTable, node: SyntaxNode): void {
  if (node.type === 'import_statement') {
    for (const item of node.namedChildren) {
      if (!item) continue;
      if (item.type === 'dotted_name') {
        // `import torch.nn` binds only `torch`, which then resolves attribute chains itself.
        const full = item.text;
        const top = full.split('.')[0] ?? full;
        table.names.set(top, top);
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (name && alias) table.names.set(alias, compact(name));
      }
    }
    return;
  }
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') return;
  const mod = compact(moduleNode.text);
  for (const item of node.namedChildren) {
    if (!item || item.equals(moduleNode)) continue;
    if (item.type === 'wildcard_import') table.wildcards.push(mod);
    else if (item.type === 'dotted_name') table.names.set(item.text, `${mod}.${compact(item.text)}`);
    else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (name && alias) table.names.set(alias, `${mod}.${compact(name)}`);
    }
  }
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
  if (!DOTTED.test(text)) return undefined;
  const parts = compact(text).split('.');
  const head = parts[0] ?? '';
  const mapped = table.names.get(head);
  if (mapped) return [mapped, ...parts.slice(1)].join('.');
  return undefined;
}

/**
 * Resolves a bare name that may come from `from m import *`, given a predicate that says whether a
 * qualified name is something the analyzer knows (so unknown names stay unresolved).
 */
export function resolveWildcard(table: ImportTable, name: string, known: (qualified: string) => boolean): string | undefined {
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
