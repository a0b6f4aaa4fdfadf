/**
 * Building blocks of quick fixes: find the statement a call belongs to, wrap it in a `with` block, insert
 * a line before it, add a keyword argument. Every fix keeps the file's indentation and is refused (no fix)
 * where the statement shares its line with other code, because then no safe text edit exists.
 */
import type { Args } from '../extract';
import type { SyntaxRoot } from '../forest';
import { localNameOf, type ImportTable } from '../imports';
import { toPosition, type SyntaxNode } from '../treeSitter';
import type { Position, TextEdit } from '../types';

/** A statement that starts its own line, with its indentation. */
export interface Statement {
  node: SyntaxNode;
  indent: string;
  lineStart: Position;
}

/** Statements that a `with` block may wrap without changing what they mean. */
export const WRAPPABLE = new Set(['expression_statement', 'return_statement', 'assert_statement']);

/**
 * The statement containing a node (the ancestor whose parent is a block or the module), if it starts its
 * own line, so that a fix can edit whole lines; `allowed` restricts the statement types.
 */
export function statementOf(source: string, node: SyntaxNode, allowed?: ReadonlySet<string>): Statement | undefined {
  let cur: SyntaxNode | null = node;
  // Bounded walk: statements are never hundreds of levels above a call in real code.
  for (let i = 0; cur && i < 200; i++) {
    const parent: SyntaxNode | null = cur.parent;
    if (!parent) return undefined;
    if (parent.type === 'block' || parent.type === 'module') break;
    cur = parent;
  }
  if (!cur || (allowed && !allowed.has(cur.type))) return undefined;
  const lineStartIndex = source.lastIndexOf('\n', cur.startIndex - 1) + 1;
  const indent = source.slice(lineStartIndex, cur.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return { node: cur, indent, lineStart: { line: cur.startPosition.row, character: 0 } };
}

/** The text {@link indentUnit} last looked at, and its answer. */
let unitOf: { source: string; unit: string } | undefined;

/**
 * The indentation unit of the file (four spaces unless the file uses tabs or two spaces). Kept for the
 * last text: every quick fix of a file asks, and a file without an indented line is searched to its end
 * each time (20,000 fixes in a generated file of 750 KB took 20 s).
 */
export function indentUnit(source: string): string {
  if (unitOf?.source === source) return unitOf.unit;
  const m = /\n([ \t]+)\S/.exec(source);
  const unit = m?.[1]?.startsWith('\t') ? '\t' : m?.[1] && m[1].length === 2 ? '  ' : '    ';
  unitOf = { source, unit };
  return unit;
}

/** Replaces a statement by `with <head>:` and the statement indented one level. */
export function wrapInWith(source: string, stmt: Statement, head: string): TextEdit {
  const unit = indentUnit(source);
  const text = source.slice(stmt.node.startIndex, stmt.node.endIndex);
  // Continuation lines keep their relative indentation, shifted by one unit like the first line.
  const body = text
    .split('\n')
    .map((l, i) => (i === 0 ? unit + l : l.length ? unit + l : l))
    .join('\n');
  return {
    range: { start: stmt.lineStart, end: toPosition(stmt.node.endPosition) },
    newText: `${stmt.indent}with ${head}:\n${stmt.indent}${body}`,
  };
}

/** Inserts a line before a statement, at the statement's indentation. */
export function insertBefore(stmt: Statement, line: string): TextEdit {
  return { range: { start: stmt.lineStart, end: stmt.lineStart }, newText: `${stmt.indent}${line}\n` };
}

/** Adds `name=value` as the last argument of a call. */
export function addKeyword(args: Args, name: string, value: string): TextEdit | undefined {
  const list = args.list;
  if (!list) return undefined;
  const close = list.lastChild;
  if (!close || close.type !== ')') return undefined;
  const empty = args.positional.length === 0 && args.keyword.size === 0;
  const beforeClose = list.text.slice(0, -1).trimEnd();
  const sep = empty ? '' : beforeClose.endsWith(',') ? ' ' : ', ';
  const at = toPosition(close.startPosition);
  return { range: { start: at, end: at }, newText: `${sep}${name}=${value}` };
}

/**
 * The local name of `torch`, and an edit adding `import torch` when the file has none (after the module
 * docstring and `__future__` imports, which must stay first).
 */
export function torchName(imports: ImportTable, root: SyntaxRoot): { name: string; edit?: TextEdit } {
  const local = localNameOf(imports, 'torch');
  if (local) return { name: local };
  let line = 0;
  for (const child of root.namedChildren()) {
    const isDoc =
      child.type === 'expression_statement' &&
      child.namedChildren[0]?.type === 'string' &&
      line === child.startPosition.row;
    if (child.type === 'future_import_statement' || child.type === 'comment' || isDoc) line = child.endPosition.row + 1;
    else break;
  }
  return {
    name: 'torch',
    edit: { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: 'import torch\n' },
  };
}
