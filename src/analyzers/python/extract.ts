/**
 * Turns a syntax tree into flat lists of facts: imports, class bases and callees. A `descendantsOfType`
 * walk (over the whole tree, or over the statements an edit touched) runs inside the WASM and hands back
 * only the nodes of interest; it costs about half of the equivalent tree-sitter Query, whose cursor
 * computes field and supertype state at every node, and far less than a JavaScript TreeCursor walk, which
 * costs more than the parse itself on large files.
 *
 * Facts are kept per top-level statement as plain offsets and text ({@link StatementFacts}), never as
 * nodes, so that the document analyzer can keep the facts of unchanged statements across edits and
 * re-extract only the statements an edit touched. Nodes are found again from offsets when a later pass
 * needs one (a handful per file: site calls, model calls, the classes of user models).
 */
import { treeRoot, type SyntaxRoot } from './forest';
import { addBindings, emptyImports, importBindings, type ImportBinding, type ImportTable } from './imports';
import type { SyntaxNode } from './treeSitter';
import type { ArgValue } from './types';

/** A node's extent in UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

/** The callee kinds the analysis reads: `f(...)`, `a.b(...)`, `a[k](...)`. */
export type CalleeType = 'identifier' | 'attribute' | 'subscript';

const CALLEE_TYPES: ReadonlySet<string> = new Set<CalleeType>(['identifier', 'attribute', 'subscript']);
const FACT_TYPES = ['import_statement', 'import_from_statement', 'class_definition', 'call'];

/** A call's callee as offsets (relative to its statement's start) and text. */
export interface CallRecord {
  start: number;
  fnEnd: number;
  fnType: CalleeType;
  fnText: string;
}

/** A class with an argument list of bases, as offsets relative to its statement's start. */
export interface ClassRecord {
  start: number;
  end: number;
  name: string;
  nameStart: number;
  nameEnd: number;
  bases: string[];
  bodyStart: number;
  bodyEnd: number;
}

/** The facts of one top-level statement, with offsets relative to the statement's start. */
export interface StatementFacts {
  calls: CallRecord[];
  imports: ImportBinding[];
  classes: ClassRecord[];
}

/** Reads the facts of one top-level statement (or any subtree); `base` is the offset they are relative to. */
export function statementFacts(node: SyntaxNode, source: string, base: number = node.startIndex): StatementFacts {
  const facts = emptyStatementFacts();
  for (const n of node.descendantsOfType(FACT_TYPES)) addFact(facts, n, source, base);
  return facts;
}

/**
 * The facts of every top-level statement of a tree, aligned with `children` (the root's children), from
 * one walk over the whole tree: a walk per statement costs a fixed ~10 microseconds more each, which adds
 * up in files of thousands of small statements. Facts come in document order, so each one belongs to the
 * first statement that ends after its start.
 */
export function allStatementFacts(root: SyntaxNode, children: readonly SyntaxNode[], source: string): StatementFacts[] {
  const out = children.map(() => emptyStatementFacts());
  const ends = children.map((c) => c.endIndex);
  let k = 0;
  for (const n of root.descendantsOfType(FACT_TYPES)) {
    const start = n.startIndex;
    while (k < ends.length - 1 && start >= (ends[k] ?? 0)) k++;
    const child = children[k];
    const facts = out[k];
    if (child && facts) addFact(facts, n, source, child.startIndex);
  }
  return out;
}

function emptyStatementFacts(): StatementFacts {
  return { calls: [], imports: [], classes: [] };
}

/**
 * A copy of a text that does not keep the whole source alive. V8 represents a slice of 13 or more
 * characters as a view into its parent string, and kept facts outlive many versions of the document:
 * without the copy, every edit would keep a copy of the file alive until its statement is read again.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}

function ownBinding(b: ImportBinding): ImportBinding {
  return 'wildcard' in b ? { wildcard: ownString(b.wildcard) } : { local: ownString(b.local), name: ownString(b.name) };
}

function addFact(facts: StatementFacts, n: SyntaxNode, source: string, base: number): void {
  const type = n.type;
  if (type === 'call') {
    const fn = n.childForFieldName('function');
    const fnType = fn?.type;
    if (!fn || fnType === undefined || !CALLEE_TYPES.has(fnType)) return;
    const fnEnd = fn.endIndex;
    facts.calls.push({
      start: fn.startIndex - base,
      fnEnd: fnEnd - base,
      fnType: fnType as CalleeType,
      fnText: ownString(source.slice(fn.startIndex, fnEnd)),
    });
  } else if (type === 'class_definition') {
    const cls = classRecord(n, base);
    if (cls) facts.classes.push(cls);
  } else for (const b of importBindings(n)) facts.imports.push(ownBinding(b));
}

function classRecord(cls: SyntaxNode, base: number): ClassRecord | undefined {
  const bases = cls.childForFieldName('superclasses');
  if (!bases || bases.type !== 'argument_list') return undefined;
  const name = cls.childForFieldName('name');
  const body = cls.childForFieldName('body');
  if (!name || !body) return undefined;
  const baseTexts = bases.namedChildren
    .filter((b): b is SyntaxNode => b !== null && b.type !== 'keyword_argument' && b.type !== 'comment')
    .map((b) => ownString(b.text));
  return {
    start: cls.startIndex - base,
    end: cls.endIndex - base,
    name: ownString(name.text),
    nameStart: name.startIndex - base,
    nameEnd: name.endIndex - base,
    bases: baseTexts,
    bodyStart: body.startIndex - base,
    bodyEnd: body.endIndex - base,
  };
}

/**
 * Finds a node of the current tree by its exact extent and type: the smallest node spanning the range, or
 * the nearest ancestor with the same extent and type.
 */
function locate(root: SyntaxRoot, start: number, end: number, type: string): SyntaxNode {
  const found = root.descendantForIndex(start, end);
  if (!found) throw new Error(`No syntax node at ${start}-${end}.`);
  for (let n: SyntaxNode | null = found; n && n.startIndex === start; n = n.parent) {
    if (n.endIndex !== end) break;
    if (n.type === type) return n;
  }
  return found;
}

/** A call, read lazily: most calls of a file are looked at only through their callee's text. */
export class CallFact implements Span {
  private fnNode: SyntaxNode | undefined;
  private call: SyntaxNode | undefined;
  constructor(
    private readonly root: SyntaxRoot,
    readonly start: number,
    readonly fnEnd: number,
    readonly fnType: CalleeType,
    readonly fnText: string,
  ) {}
  /** The callee node. */
  get fn(): SyntaxNode {
    this.fnNode ??= locate(this.root, this.start, this.fnEnd, this.fnType);
    return this.fnNode;
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

/** A class with bases; its name node is found on demand (only model classes need one). */
export class ClassFact implements Span {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly bases: string[];
  readonly body: Span;
  private readonly nameSpan: Span;
  private node: SyntaxNode | undefined;
  constructor(
    private readonly root: SyntaxRoot,
    rec: ClassRecord,
    shift: number,
  ) {
    this.start = rec.start + shift;
    this.end = rec.end + shift;
    this.name = rec.name;
    this.bases = rec.bases;
    this.body = { start: rec.bodyStart + shift, end: rec.bodyEnd + shift };
    this.nameSpan = { start: rec.nameStart + shift, end: rec.nameEnd + shift };
  }
  get nameNode(): SyntaxNode {
    this.node ??= locate(this.root, this.nameSpan.start, this.nameSpan.end, 'identifier');
    return this.node;
  }
}

/** Every fact the analysis extracts, in document order per kind. */
export interface FileFacts {
  source: string;
  root: SyntaxRoot;
  imports: ImportTable;
  classes: ClassFact[];
  calls: CallFact[];
}

/** The facts of a statement placed at `start` in the current text. */
export interface PlacedFacts {
  start: number;
  facts: StatementFacts;
}

/** Assembles the facts of a file from the facts of its top-level statements, in document order. */
export function fileFacts(source: string, root: SyntaxRoot, statements: Iterable<PlacedFacts>): FileFacts {
  const facts: FileFacts = { source, root, imports: emptyImports(), classes: [], calls: [] };
  for (const { start, facts: st } of statements) {
    addBindings(facts.imports, st.imports);
    for (const c of st.classes) facts.classes.push(new ClassFact(root, c, start));
    for (const c of st.calls)
      facts.calls.push(new CallFact(root, c.start + start, c.fnEnd + start, c.fnType, c.fnText));
  }
  return facts;
}

/** Extracts the facts of a whole tree. */
export function extractFacts(root: SyntaxNode, source: string): FileFacts {
  const children = root.children.filter((c): c is SyntaxNode => c !== null);
  const facts = allStatementFacts(root, children, source);
  return fileFacts(
    source,
    treeRoot(root),
    children.map((c, i) => ({ start: c.startIndex, facts: facts[i] ?? emptyStatementFacts() })),
  );
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
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'string':
      return stringValue(node) ?? { expr: node.text };
    case 'unary_operator': {
      const v = node.text.startsWith('-') && node.namedChildren[0] ? literalValue(node.namedChildren[0]) : undefined;
      return typeof v === 'number' ? -v : { expr: node.text };
    }
    default:
      return { expr: node.text };
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
