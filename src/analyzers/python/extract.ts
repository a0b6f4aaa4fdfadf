/**
 * Turns a syntax tree into flat lists of facts with one tree-sitter Query. The query runs inside the WASM
 * and hands back only the nodes of interest, which is much cheaper than a JavaScript walk over every node
 * (a TreeCursor walk costs more than the parse itself on large files).
 */
import { addImport, emptyImports, type ImportTable } from './imports';
import type { PythonGrammar, SyntaxNode, SyntaxTree } from './treeSitter';
import type { ArgValue } from './types';

// Only imports, class bases and callees: every extra pattern costs a full traversal of the tree in the
// WASM, and the rest of the analysis reaches the few other nodes it needs by walking up from these.
const FACTS_QUERY = `
(import_statement) @import
(import_from_statement) @import
(class_definition superclasses: (argument_list) @bases)
(call function: [(identifier) (attribute) (subscript)] @fn)
`;

/** A node's extent in UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

/** A call, read lazily: most calls of a file are looked at only through their callee's text. */
export class CallFact implements Span {
  private call: SyntaxNode | undefined;
  constructor(readonly fn: SyntaxNode, readonly fnText: string) {}
  get fnType(): string {
    return this.fn.type;
  }
  get start(): number {
    return this.fn.startIndex;
  }
  /** The call node (the callee's parent). */
  get node(): SyntaxNode {
    this.call ??= this.fn.parent ?? this.fn;
    return this.call;
  }
  get end(): number {
    return this.node.endIndex;
  }
}

export interface ClassFact extends Span {
  name: string;
  nameNode: SyntaxNode;
  bases: string[];
  body: Span;
}

/** Every fact the analysis extracts with the query, in document order per kind. */
export interface FileFacts {
  source: string;
  root: SyntaxNode;
  imports: ImportTable;
  classes: ClassFact[];
  calls: CallFact[];
}

/** Runs the facts query over a tree. `signal` is checked by the query's progress callback. */
export function extractFacts(grammar: PythonGrammar, tree: SyntaxTree, source: string, signal?: AbortSignal): FileFacts {
  const facts: FileFacts = { source, root: tree.rootNode, imports: emptyImports(), classes: [], calls: [] };
  const query = grammar.query(FACTS_QUERY);
  const progressCallback = (): boolean => signal?.aborted === true;
  const captures = query.captures(tree.rootNode, { progressCallback } as unknown as Parameters<typeof query.captures>[1]);
  signal?.throwIfAborted();
  for (const { name, node } of captures) {
    if (name === 'fn') facts.calls.push(new CallFact(node, source.slice(node.startIndex, node.endIndex)));
    else if (name === 'import') addImport(facts.imports, node);
    else addClass(facts, node);
  }
  return facts;
}

function addClass(facts: FileFacts, bases: SyntaxNode): void {
  const cls = bases.parent;
  const name = cls?.childForFieldName('name');
  const body = cls?.childForFieldName('body');
  if (!cls || !name || !body) return;
  const baseTexts = bases.namedChildren.filter((b): b is SyntaxNode => b !== null && b.type !== 'keyword_argument' && b.type !== 'comment').map((b) => b.text);
  facts.classes.push({ start: cls.startIndex, end: cls.endIndex, name: name.text, nameNode: name, bases: baseTexts, body: { start: body.startIndex, end: body.endIndex } });
}

/** One argument of a call. */
export interface Arg {
  node: SyntaxNode;
  value: ArgValue;
}

/** The arguments of a call, positional and keyword. */
export interface Args {
  positional: Arg[];
  keyword: Map<string, Arg>;
  /** The argument list node (for inserting keyword arguments). */
  list: SyntaxNode | null;
}

/** Reads the arguments of a call node. */
export function readArgs(call: SyntaxNode): Args {
  const list = call.childForFieldName('arguments');
  const args: Args = { positional: [], keyword: new Map(), list: list && list.type === 'argument_list' ? list : null };
  if (!args.list) return args;
  for (const child of args.list.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text;
      const value = child.childForFieldName('value');
      if (name && value) args.keyword.set(name, { node: value, value: literalValue(value) });
    } else if (child.type !== 'list_splat' && child.type !== 'dictionary_splat') {
      args.positional.push({ node: child, value: literalValue(child) });
    }
  }
  return args;
}

/** The value of a literal node, or its source text for anything that is not static. */
export function literalValue(node: SyntaxNode): ArgValue {
  switch (node.type) {
    case 'integer': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : { expr: node.text };
    }
    case 'float': return Number(node.text.replace(/_/g, ''));
    case 'true': return true;
    case 'false': return false;
    case 'none': return null;
    case 'string': return stringValue(node) ?? { expr: node.text };
    case 'unary_operator': {
      const v = node.text.startsWith('-') && node.namedChildren[0] ? literalValue(node.namedChildren[0]) : undefined;
      return typeof v === 'number' ? -v : { expr: node.text };
    }
    default: return { expr: node.text };
  }
}

/** The content of a plain string literal; undefined for f-strings with interpolations. */
function stringValue(node: SyntaxNode): string | undefined {
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
  }
  return out;
}

/** The text of an argument value as written. */
export function argText(a: Arg | undefined): string | undefined {
  return a?.node.text;
}
