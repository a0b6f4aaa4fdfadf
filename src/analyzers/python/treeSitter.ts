/**
 * The only module that touches the web-tree-sitter API, because that API changes between versions (the
 * 0.25 rewrite renamed the exports and moved the runtime WASM). Everything else sees `PythonGrammar`,
 * `SyntaxTree` and `SyntaxNode`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Edit, Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';
import type { Position, Range } from './types';

export type SyntaxTree = Tree;
export type SyntaxNode = Node;
export type SyntaxQuery = Query;

/** The loaded runtime, grammar and one reusable parser. */
export interface PythonGrammar {
  language: Language;
  /** Replaced by a fresh parser after a fault (see {@link parsePython}), so read it at each use. */
  parser: Parser;
  /** Compiles a query once; queries are cached by source text. */
  query(source: string): Query;
}

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-python.wasm';

/**
 * Where the two WASM files are: next to the bundle (the build copies them into dist/), or in node_modules
 * when running from source. Walks up from this module so that it works from src/ and from dist/.
 */
export function defaultWasmDir(): string {
  if (existsSync(path.join(__dirname, GRAMMAR_WASM))) return __dirname;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules', 'tree-sitter-python', GRAMMAR_WASM)))
      return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir) return __dirname;
  }
}

/** Finds one WASM file in a flat directory (dist/) or in its package folder (node_modules/<pkg>/). */
function wasmPath(dir: string, pkg: string, file: string): string {
  const flat = path.join(dir, file);
  return existsSync(flat) ? flat : path.join(dir, pkg, file);
}

let loading: Promise<PythonGrammar> | undefined;
let loaded: PythonGrammar | undefined;

/**
 * Loads the runtime and the Python grammar once per process (later calls return the same promise).
 * @param wasmDir folder holding both WASM files (dist/) or a node_modules folder; defaults to {@link defaultWasmDir}.
 */
export function loadPythonGrammar(wasmDir: string = defaultWasmDir()): Promise<PythonGrammar> {
  loading ??= (async () => {
    const runtime = wasmPath(wasmDir, 'web-tree-sitter', RUNTIME_WASM);
    await Parser.init({ locateFile: () => runtime });
    // The grammar's bytes rather than its path: given a path, web-tree-sitter reads it through a dynamic
    // import('fs/promises'), which the CLI's code-cached bundle (src/cli/compileCache.ts) cannot run.
    const language = await Language.load(await readFile(wasmPath(wasmDir, 'tree-sitter-python', GRAMMAR_WASM)));
    const parser = new Parser();
    parser.setLanguage(language);
    const queries = new Map<string, Query>();
    const grammar: PythonGrammar = {
      language,
      parser,
      query(source) {
        let q = queries.get(source);
        if (!q) queries.set(source, (q = new Query(language, source)));
        return q;
      },
    };
    loaded = grammar;
    return grammar;
  })();
  // A failed load (missing WASM) must not poison every later attempt with the same rejection.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The grammar if {@link loadPythonGrammar} has finished, for synchronous callers. */
export function loadedPythonGrammar(): PythonGrammar | undefined {
  return loaded;
}

/** Options bounding one parse. */
export interface ParseLimits {
  /** Wall-clock limit in milliseconds; the parse is cancelled past it. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A previous tree of the same document, already edited with {@link applyEdit}. */
  oldTree?: SyntaxTree | null;
  /**
   * Parse only this range of the text (UTF-16 offsets); the tree's nodes keep their offsets and positions
   * in the whole text, but their `text` stops at the range's end until {@link setTreeText}.
   */
  region?: { start: number; end: number };
}

/** The outcome of a bounded parse: a tree, or why there is none. */
export type ParseOutcome =
  | { tree: SyntaxTree }
  | { tree: null; reason: 'timeout' | 'aborted' }
  | { tree: null; reason: 'fault'; message: string };

/** How many times a faulted parser has been replaced in this process (for tests and logs). */
let replacedParsers = 0;

/** The number of parsers replaced after a fault so far. */
export function parserReplacements(): number {
  return replacedParsers;
}

/**
 * Discards the grammar's parser and makes a new one. A WASM fault ("memory access out of bounds") can
 * leave the parser's state corrupt, and a reused parser then fails or returns empty trees for every later
 * file; a fresh parser starts clean.
 */
export function replaceParser(grammar: PythonGrammar): void {
  const old = grammar.parser;
  const parser = new Parser();
  parser.setLanguage(grammar.language);
  grammar.parser = parser;
  replacedParsers++;
  try {
    old.delete();
  } catch {
    // Deleting a parser whose memory is already corrupt may fault again; it is dropped either way.
  }
}

/**
 * Parses with a deadline: tree-sitter calls the progress callback periodically, and returning true
 * cancels the parse. The parser is reset afterwards, because a cancelled parser resumes where it stopped.
 */
export function parsePython(grammar: PythonGrammar, source: string, limits: ParseLimits = {}): ParseOutcome {
  const deadline = limits.timeoutMs === undefined ? Infinity : performance.now() + limits.timeoutMs;
  let reason: 'timeout' | 'aborted' | undefined;
  const progressCallback = (): boolean => {
    if (limits.signal?.aborted) reason = 'aborted';
    else if (performance.now() > deadline) reason = 'timeout';
    return reason !== undefined;
  };
  const includedRanges = limits.region && [
    {
      startIndex: limits.region.start,
      endIndex: limits.region.end,
      startPosition: pointAt(source, limits.region.start),
      endPosition: pointAt(source, limits.region.end),
    },
  ];
  // The typings say void, the runtime honours a true return: see ProgressCallback in the same typings.
  const options = { progressCallback, ...(includedRanges && { includedRanges }) } as unknown as Parameters<
    Parser['parse']
  >[2];
  // The runtime copies what the input returns, up to 5 KB a call: for a region, stop at its end.
  const end = limits.region?.end;
  const input = end === undefined ? source : (index: number): string => (index < end ? source.slice(index, end) : '');
  let tree: SyntaxTree | null;
  try {
    tree = grammar.parser.parse(input, limits.oldTree ?? null, options);
  } catch (err) {
    replaceParser(grammar);
    return {
      tree: null,
      reason: 'fault',
      message: `Not analyzed: the Python parser failed on this file (${(err as Error)?.message ?? String(err)}); it was restarted for the next file.`,
    };
  }
  if (tree) return { tree };
  grammar.parser.reset();
  return { tree: null, reason: reason ?? 'aborted' };
}

/** The tree-sitter point (row, UTF-16 column) of an offset: rows are counted by `\n`, as tree-sitter does. */
export function pointAt(source: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * Makes `node.text` of a tree read the current text. The runtime reads node text through a callback that
 * the tree keeps from its parse, so an edited tree that is not parsed again would read the old text at
 * the new offsets. The callback is not in the typings, hence the check that it is still there.
 */
export function setTreeText(tree: SyntaxTree, source: string): void {
  const t = tree as unknown as { textCallback?: unknown };
  if (typeof t.textCallback !== 'function')
    throw new Error('web-tree-sitter no longer keeps Tree.textCallback: node text of edited trees cannot be updated.');
  t.textCallback = (index: number): string => source.slice(index);
}

/**
 * The ancestors of a node, innermost first, at most `max` of them. Found walking down from the root:
 * `node.parent` itself searches down from the root, so walking up costs a descent per level, and the
 * module level of a large file is thousands of statements wide.
 */
export function ancestorsOf(node: SyntaxNode, max: number): SyntaxNode[] {
  const root = node.tree.rootNode;
  if (root.equals(node)) return [];
  const chain: SyntaxNode[] = [root];
  for (let c = root.childWithDescendant(node); c && !c.equals(node); c = c.childWithDescendant(node)) chain.push(c);
  chain.reverse();
  return chain.length > max ? chain.slice(0, max) : chain;
}

/** Converts a tree-sitter point (row, UTF-16 column) to a plain position. */
export function toPosition(p: { row: number; column: number }): Position {
  return { line: p.row, character: p.column };
}

/** The range of a node as plain data. */
export function nodeRange(node: SyntaxNode): Range {
  return { start: toPosition(node.startPosition), end: toPosition(node.endPosition) };
}

/** A document change in the editor's terms: offsets in UTF-16 code units, positions before the change. */
export interface DocumentChange {
  /** Offset where the replaced text starts. */
  startIndex: number;
  /** Offset where the replaced text ended, in the old document. */
  oldEndIndex: number;
  start: Position;
  oldEnd: Position;
  newText: string;
}

/** The position after inserting `text` at `start`. */
export function endAfterInsert(start: Position, text: string): Position {
  const lines = text.split('\n');
  if (lines.length === 1) return { line: start.line, character: start.character + text.length };
  return { line: start.line + lines.length - 1, character: (lines[lines.length - 1] ?? '').length };
}

/** Tells an old tree about a document change, so that the next parse reuses what did not change. */
export function applyEdit(tree: SyntaxTree, change: DocumentChange): void {
  const newEnd = endAfterInsert(change.start, change.newText);
  tree.edit(
    new Edit({
      startIndex: change.startIndex,
      oldEndIndex: change.oldEndIndex,
      newEndIndex: change.startIndex + change.newText.length,
      startPosition: { row: change.start.line, column: change.start.character },
      oldEndPosition: { row: change.oldEnd.line, column: change.oldEnd.character },
      newEndPosition: { row: newEnd.line, column: newEnd.character },
    }),
  );
}
