/**
 * Incremental analysis of one open document. Each change is applied to the syntax tree with `tree.edit`
 * and to the per-statement facts (statements.ts). Then, at analysis time:
 *
 * - When the file was free of syntax errors, only the region of top-level statements around the edits is
 *   parsed, on its own, and laid over the edited tree (forest.ts). If that parse has no error either, it
 *   gives what a parse of the whole text would give (see {@link StatementCache.region}). A keystroke in a
 *   2,000-line file then parses a dozen lines, where tree-sitter's incremental re-parse of Python re-reads
 *   every statement's first token and, for edits between top-level statements (a blank line, the last
 *   line of a function), can re-parse the rest of the file from scratch.
 * - Otherwise the whole text is parsed incrementally from the edited tree, as tree-sitter intends, and the
 *   overlays are dropped: after an edit that leaves a syntax error, when the region would be more than half
 *   the file (an edit in a class that fills most of it), and once {@link MAX_OVERLAYS} regions have piled
 *   up, which keeps per-keystroke bookkeeping short.
 *
 * Either way only the statements that changed are read again, and the passes after fact extraction
 * (sites, usage, training, rules) run over the whole file exactly as for a fresh analysis, so the result
 * is the same as `analyzePython` on the current text; the unit tests check this over thousands of edits.
 * The editor layer debounces changes and calls {@link PythonDocumentAnalyzer.analyze}.
 */
import { analyzeFacts, requireGrammar, unparsableReason, type AnalyzeOptions } from './analyze';
import { SyntaxForest, treeRoot, type OverlaySpan, type SyntaxRoot } from './forest';
import { moveSpan, StatementCache } from './statements';
import {
  applyEdit,
  parsePython,
  setTreeText,
  type DocumentChange,
  type PythonGrammar,
  type SyntaxTree,
} from './treeSitter';
import type { PythonAnalysis } from './types';

export type { DocumentChange } from './treeSitter';

/** Overlays kept before the next analysis parses the whole text again. */
const MAX_OVERLAYS = 64;

/** Incremental analyzer of one document; call {@link dispose} when the document closes. */
export class PythonDocumentAnalyzer {
  private readonly grammar: PythonGrammar;
  private readonly statements = new StatementCache();
  /** The last tree of the whole text, edited since. */
  private base: SyntaxTree | null = null;
  /** Regions parsed on their own since `base`, sorted. Several spans may share a tree. */
  private spans: OverlaySpan[] = [];
  /** True when the current syntax (base and overlays) has no error, so that a region may be parsed alone. */
  private clean = false;
  private text: string;
  private last: PythonAnalysis | undefined;
  /** How the last analysis parsed: the whole text, a region, or nothing (no edit since). */
  private lastParse: 'whole' | 'region' | 'none' = 'none';
  /** Why the last whole parse failed when the parser faulted (it has been replaced since). */
  private fault: string | undefined;

  /** @param text the document's current text; the grammar must already be loaded (or be passed in opts). */
  constructor(
    text: string,
    private readonly opts: AnalyzeOptions = {},
  ) {
    this.grammar = requireGrammar(opts.grammar);
    this.text = text;
  }

  /** The text as the analyzer knows it after the applied changes. */
  get source(): string {
    return this.text;
  }

  /** What the last analysis did, for tests and diagnostics: how it parsed and how many statements it read. */
  get lastWork(): { parse: 'whole' | 'region' | 'none'; statementsRead: number } {
    return { parse: this.lastParse, statementsRead: this.statements.lastRead };
  }

  /**
   * Applies one change (offsets and positions in the text before the change, UTF-16 units as VS Code
   * reports them). Several changes of one event are applied in the order VS Code lists them.
   */
  update(change: DocumentChange): void {
    this.text = this.text.slice(0, change.startIndex) + change.newText + this.text.slice(change.oldEndIndex);
    if (this.base) {
      applyEdit(this.base, change);
      // A tree whose spans all end before the change keeps its offsets: no need to tell it.
      for (const tree of new Set(this.spans.filter((s) => s.end >= change.startIndex).map((s) => s.tree)))
        applyEdit(tree, change);
      // A span the change meets grows over the new text; the next analysis re-parses that part and lays
      // its own span over it.
      this.spans = this.spans.map((s) => ({ ...s, ...moveSpan(s, change) })).filter((s) => s.end > s.start);
    }
    this.statements.edit(change);
    this.last = undefined;
  }

  /** Replaces the whole text (for example after a reload); the next analysis parses from scratch. */
  reset(text: string): void {
    this.text = text;
    this.dropTrees();
    this.statements.clear();
    this.last = undefined;
  }

  /**
   * Re-parses what changed and re-runs the analysis. Throws the signal's reason when aborted; on a parse
   * timeout the trees are dropped and the result says `incomplete: 'timeout'`.
   */
  analyze(signal?: AbortSignal): PythonAnalysis {
    if (this.last) return this.last;
    const opts = { ...this.opts, signal: signal ?? this.opts.signal };
    const bad = unparsableReason(this.text);
    if (bad)
      return {
        sites: [],
        trainingLoops: [],
        inferenceCalls: [],
        findings: [],
        parseErrors: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: bad }],
      };
    let root: SyntaxRoot | undefined;
    this.lastParse = 'none';
    if (!this.base) root = this.parseWhole(opts);
    else if (!this.statements.pending) root = this.currentRoot();
    else root = (this.clean ? this.parseRegion(opts) : undefined) ?? this.parseWhole(opts);
    if (!root && this.fault)
      return {
        sites: [],
        trainingLoops: [],
        inferenceCalls: [],
        findings: [],
        incomplete: 'fault',
        parseErrors: [
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: this.fault },
        ],
      };
    if (!root) return { sites: [], trainingLoops: [], inferenceCalls: [], findings: [], incomplete: 'timeout' };
    this.last = analyzeFacts(this.statements.facts(root, this.text), opts);
    return this.last;
  }

  private currentRoot(): SyntaxRoot | undefined {
    if (!this.base) return undefined;
    return this.spans.length > 0 ? new SyntaxForest(this.base, this.spans) : treeRoot(this.base.rootNode);
  }

  /** Parses the region around the edits alone; undefined when that is not possible or not exact. */
  private parseRegion(opts: AnalyzeOptions): SyntaxRoot | undefined {
    const base = this.base;
    const region = this.statements.region(this.text);
    if (!base || !region || this.spans.length >= MAX_OVERLAYS) return undefined;
    // A region of half the file costs about as much as the incremental parse of all of it.
    if (region.end - region.start > this.text.length / 2) return undefined;
    // A line continuation at the end would join the region to the statement after it.
    if (/\\\r?\n?$/.test(this.text.slice(Math.max(region.start, region.end - 3), region.end))) return undefined;
    const parsed = parsePython(this.grammar, this.text, {
      timeoutMs: opts.timeoutMs ?? 5000,
      signal: opts.signal,
      region,
    });
    if (!parsed.tree) {
      opts.signal?.throwIfAborted();
      return undefined;
    }
    if (parsed.tree.rootNode.hasError) {
      parsed.tree.delete();
      return undefined;
    }
    this.addSpan({ ...region, tree: parsed.tree });
    this.statements.replaceRegion(region, parsed.tree, this.text);
    setTreeText(base, this.text);
    for (const tree of new Set(this.spans.map((s) => s.tree))) setTreeText(tree, this.text);
    this.lastParse = 'region';
    return new SyntaxForest(base, this.spans);
  }

  /** Lays a new span over the others, trimming the ones it covers and freeing trees no span uses. */
  private addSpan(span: OverlaySpan): void {
    const next: OverlaySpan[] = [];
    for (const s of this.spans) {
      if (s.end <= span.start || s.start >= span.end) next.push(s);
      else {
        if (s.start < span.start) next.push({ ...s, end: span.start });
        if (s.end > span.end) next.push({ ...s, start: span.end });
      }
    }
    next.push(span);
    next.sort((a, b) => a.start - b.start);
    const used = new Set(next.map((s) => s.tree));
    for (const tree of new Set(this.spans.map((s) => s.tree))) if (!used.has(tree)) tree.delete();
    this.spans = next;
  }

  /** Parses the whole text, incrementally from the edited base tree when there is one. */
  private parseWhole(opts: AnalyzeOptions): SyntaxRoot | undefined {
    const old = this.base;
    const parsed = parsePython(this.grammar, this.text, {
      timeoutMs: opts.timeoutMs ?? 5000,
      signal: opts.signal,
      oldTree: old,
    });
    this.fault = parsed.tree === null && parsed.reason === 'fault' ? parsed.message : undefined;
    if (!parsed.tree) {
      opts.signal?.throwIfAborted();
      this.reset(this.text);
      return undefined;
    }
    const tree = parsed.tree;
    try {
      // The old tree is needed until the changed ranges are known.
      this.statements.rebuild(tree, old, this.text, opts.signal);
    } catch (err) {
      tree.delete();
      this.dropTrees();
      throw err;
    }
    this.dropTrees();
    this.base = tree;
    this.clean = !tree.rootNode.hasError;
    this.lastParse = 'whole';
    return treeRoot(tree.rootNode);
  }

  private dropTrees(): void {
    this.base?.delete();
    this.base = null;
    for (const t of new Set(this.spans.map((s) => s.tree))) t.delete();
    this.spans = [];
    this.clean = false;
  }

  /** Frees the syntax trees. */
  dispose(): void {
    this.dropTrees();
    this.statements.clear();
  }
}
