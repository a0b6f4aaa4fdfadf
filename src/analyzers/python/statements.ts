/**
 * The top-level statements of an open document with their facts, kept between edits. After each edit
 * only the statements it touched are read again; the others keep their facts, moved by the length the
 * text before them changed.
 *
 * Two ways to refresh: {@link StatementCache.rebuild} after a parse of the whole text, and
 * {@link StatementCache.replaceRegion} after a parse of one region alone ({@link StatementCache.region}).
 * A statement is reused only when its text was not edited (tracked here from each change) and its syntax
 * did not change (tree-sitter's changed ranges cover re-parses caused by edits elsewhere, such as an
 * opened string), and it still has the same extent and type.
 */
import { allStatementFacts, fileFacts, statementFacts, type FileFacts, type StatementFacts } from './extract';
import type { SyntaxRoot } from './forest';
import type { DocumentChange, SyntaxNode, SyntaxTree } from './treeSitter';

interface Entry {
  /** Extent in the current text (only the start is exact for a statement an edit touched). */
  start: number;
  end: number;
  type: string;
  facts: StatementFacts;
  /** An edit since the last refresh touched it. */
  touched: boolean;
}

/** A range of the current text; `end` may equal `start` (a deletion leaves an empty range). */
interface Span {
  start: number;
  end: number;
}

/** Statements whose kind makes a boundary between them and what precedes them uncertain. */
const NOT_A_BOUNDARY = new Set(['comment', 'ERROR']);

/** Moves a range through a change; ranges that meet it grow to cover the new text. */
export function moveSpan(
  s: Span,
  change: DocumentChange,
  delta: number = change.newText.length - (change.oldEndIndex - change.startIndex),
): Span {
  if (s.end < change.startIndex) return s;
  if (s.start > change.oldEndIndex) return { start: s.start + delta, end: s.end + delta };
  return {
    start: Math.min(s.start, change.startIndex),
    end: Math.max(s.end + delta, change.startIndex + change.newText.length),
  };
}

/** Adds a range to a list, merging it with the ranges it meets. */
function addSpan(list: Span[], s: Span): Span[] {
  const out: Span[] = [];
  let merged = { ...s };
  for (const x of list) {
    if (x.end < merged.start || x.start > merged.end) out.push(x);
    else merged = { start: Math.min(x.start, merged.start), end: Math.max(x.end, merged.end) };
  }
  out.push(merged);
  return out.sort((a, b) => a.start - b.start);
}

/** True when a range meets one of the spans, touching included. */
function touches(spans: readonly Span[], start: number, end: number): boolean {
  for (const s of spans) if (s.start <= end && s.end >= start) return true;
  return false;
}

/** Statement facts of one document. Not for sharing between documents. */
export class StatementCache {
  private entries: Entry[] = [];
  /** Ranges edited since the last refresh. */
  private dirty: Span[] = [];
  /** Ranges edited since the last parse of the whole text (its tree's structure there is out of date). */
  private unsettled: Span[] = [];
  /** Statements read by the last refresh, for tests and diagnostics. */
  lastRead = 0;

  /** True when edits arrived since the last refresh. */
  get pending(): boolean {
    return this.dirty.length > 0;
  }

  /** Moves the statements past a change and marks the ones it touches. */
  edit(change: DocumentChange): void {
    const delta = change.newText.length - (change.oldEndIndex - change.startIndex);
    // Entries are this cache's own objects: moved in place, as this runs on every keystroke.
    for (const e of this.entries) {
      if (e.end < change.startIndex) continue;
      // A statement that ends where the change starts can grow into it (`x = fo` + `o`), so touching counts.
      if (e.start > change.oldEndIndex) {
        e.start += delta;
        e.end += delta;
      } else {
        const moved = moveSpan(e, change, delta);
        e.start = moved.start;
        e.end = moved.end;
        e.touched = true;
      }
    }
    const edited = { start: change.startIndex, end: change.startIndex + change.newText.length };
    this.dirty = addSpan(
      this.dirty.map((d) => moveSpan(d, change, delta)),
      edited,
    );
    this.unsettled = addSpan(
      this.unsettled.map((d) => moveSpan(d, change, delta)),
      edited,
    );
  }

  /** Forgets everything (a new text, or a parse that failed). */
  clear(): void {
    this.entries = [];
    this.dirty = [];
    this.unsettled = [];
  }

  /**
   * Refreshes after a parse of the whole text. `oldTree` is the tree it was parsed from (already edited),
   * or null after a parse from scratch, when every statement is read.
   */
  rebuild(tree: SyntaxTree, oldTree: SyntaxTree | null, source: string, signal?: AbortSignal): void {
    const root = tree.rootNode;
    const children = root.children.filter((c): c is SyntaxNode => c !== null);
    const next: (Entry | undefined)[] = [];
    const toRead: number[] = [];
    try {
      const changed: Span[] = oldTree
        ? oldTree.getChangedRanges(tree).map((r) => ({ start: r.startIndex, end: r.endIndex }))
        : [];
      changed.push(...this.unsettled);
      const byStart = new Map<number, Entry>();
      if (oldTree) for (const e of this.entries) if (!e.touched) byStart.set(e.start, e);
      for (const child of children) {
        const start = child.startIndex;
        const old = byStart.get(start);
        const end = child.endIndex;
        if (old && old.end === end && old.type === child.type && !touches(changed, start, end)) next.push(old);
        else {
          next.push(undefined);
          toRead.push(next.length - 1);
        }
      }
      signal?.throwIfAborted();
      this.read(root, children, toRead, next, source);
    } catch (err) {
      // The changed ranges of this parse are lost with the old tree: read everything next time.
      this.clear();
      throw err;
    }
    this.entries = next.filter((e): e is Entry => e !== undefined);
    this.dirty = [];
    this.unsettled = [];
    this.lastRead = toRead.length;
  }

  /** Reads the facts of the children at `indices` into `into`: one walk over the root when many are needed. */
  private read(
    root: SyntaxNode,
    children: SyntaxNode[],
    indices: number[],
    into: (Entry | undefined)[],
    source: string,
  ): void {
    const all = indices.length > children.length / 8 ? allStatementFacts(root, children, source) : undefined;
    for (const i of indices) {
      const child = children[i];
      if (!child) continue;
      const facts = all?.[i] ?? statementFacts(child, source);
      into[i] = { start: child.startIndex, end: child.endIndex, type: child.type, facts, touched: false };
    }
  }

  /**
   * The region to re-parse on its own for the edits since the last refresh: from the last statement that
   * starts before every edit to the first one that starts after them all, each starting a line and being
   * neither a comment nor an error (comments can belong to the block above them). Parsing the region
   * alone gives the statements a parse of the whole text would give when the text before and after it is
   * free of syntax errors and the region's own parse is too (the caller checks both): a top-level
   * statement that starts a line after complete statements starts from the same parser and indentation
   * state as the start of a file. Undefined when nothing is pending.
   */
  region(source: string): Span | undefined {
    if (this.dirty.length === 0) return undefined;
    const minD = Math.min(...this.dirty.map((d) => d.start));
    const maxD = Math.max(...this.dirty.map((d) => d.end));
    const boundary = (e: Entry): boolean =>
      !NOT_A_BOUNDARY.has(e.type) && (e.start === 0 || source.charCodeAt(e.start - 1) === 10);
    let start = 0;
    let end = source.length;
    for (const e of this.entries) {
      if (e.start < minD) {
        if (boundary(e)) start = e.start;
      } else if (e.start > maxD && !e.touched && boundary(e)) {
        end = e.start;
        break;
      }
    }
    return { start, end };
  }

  /** Refreshes after a parse of `region` alone: its statements are replaced by the tree's. */
  replaceRegion(region: Span, tree: SyntaxTree, source: string): void {
    const root = tree.rootNode;
    const children = root.children.filter(
      (c): c is SyntaxNode => c !== null && c.startIndex >= region.start && c.startIndex < region.end,
    );
    const fresh: (Entry | undefined)[] = children.map(() => undefined);
    this.read(
      root,
      children,
      children.map((_, i) => i),
      fresh,
      source,
    );
    const before = this.entries.filter((e) => e.start < region.start);
    const after = this.entries.filter((e) => e.start >= region.end);
    this.entries = [...before, ...fresh.filter((e): e is Entry => e !== undefined), ...after];
    this.dirty = [];
    this.lastRead = children.length;
  }

  /** The facts of the whole document. */
  facts(root: SyntaxRoot, source: string): FileFacts {
    return fileFacts(
      source,
      root,
      this.entries.map((e) => ({ start: e.start, facts: e.facts })),
    );
  }
}
