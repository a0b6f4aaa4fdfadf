/**
 * What the analysis passes need from the syntax of a whole file, whether it is one tree or the document
 * analyzer's base tree with re-parsed regions laid over it: find a node by offset, list the top-level
 * nodes, report syntax errors.
 */
import { nodeRange, type SyntaxNode, type SyntaxTree } from './treeSitter';
import type { ParseError } from './types';

/** The syntax of one file as the analysis passes see it. */
export interface SyntaxRoot {
  /** The smallest node spanning a range of UTF-16 offsets. */
  descendantForIndex(start: number, end?: number): SyntaxNode | null;
  /** Top-level named nodes in document order, read as they are asked for. */
  namedChildren(): Iterable<SyntaxNode>;
  hasError(): boolean;
  /** The first `max` syntax errors in document order. */
  errors(max: number): ParseError[];
}

/** The root of a single tree. */
export function treeRoot(root: SyntaxNode): SyntaxRoot {
  return {
    descendantForIndex: (start, end) => root.descendantForIndex(start, end),
    namedChildren: () => namedChildrenOf(root),
    hasError: () => root.hasError,
    errors: (max) => syntaxErrors(root, max),
  };
}

/**
 * The first syntax errors of a tree in document order: ERROR nodes and missing tokens. Only subtrees that
 * contain an error are entered (a tree-sitter Query would visit every node), so a file with one typo costs
 * a walk down to it. The walk keeps its own stack, so deeply nested code cannot overflow the call stack.
 */
export function syntaxErrors(root: SyntaxNode, max: number): ParseError[] {
  const out: ParseError[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0 && out.length < max) {
    const node = stack.pop();
    if (!node) break;
    if (node.isMissing) out.push({ range: nodeRange(node), message: `Syntax error: missing ${node.type}.` });
    else if (node.isError) out.push({ range: nodeRange(node), message: 'Syntax error.' });
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      // An ERROR leaf (one unexpected character) does not count as having an error itself.
      if (c && (c.hasError || c.isError)) stack.push(c);
    }
  }
  if (out.length === 0 && root.hasError) out.push({ range: nodeRange(root), message: 'Syntax error.' });
  return out;
}

/** The named children of a node, one at a time: most callers stop after the first few. */
function* namedChildrenOf(node: SyntaxNode): Iterable<SyntaxNode> {
  const n = node.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = node.namedChild(i);
    if (c) yield c;
  }
}

/** A region of the current text whose nodes come from a tree parsed for that region alone. */
export interface OverlaySpan {
  start: number;
  end: number;
  tree: SyntaxTree;
}

function* spanChildren(span: OverlaySpan): Iterable<SyntaxNode> {
  for (const c of namedChildrenOf(span.tree.rootNode))
    if (c.startIndex >= span.start && c.startIndex < span.end) yield c;
}

/**
 * A base tree (edited, not re-parsed, so its unchanged statements have their current offsets) with
 * regions re-parsed on their own laid over it. The document analyzer builds one only when the whole
 * file is free of syntax errors, so it has none.
 */
export class SyntaxForest implements SyntaxRoot {
  /** @param spans sorted, non-overlapping */
  constructor(
    private readonly base: SyntaxTree,
    private readonly spans: readonly OverlaySpan[],
  ) {}

  private spanAt(index: number): OverlaySpan | undefined {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.spans[mid];
      if (!s) break;
      if (index < s.start) hi = mid - 1;
      else if (index >= s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  descendantForIndex(start: number, end: number = start): SyntaxNode | null {
    const span = this.spanAt(start);
    return (span ? span.tree.rootNode : this.base.rootNode).descendantForIndex(start, end);
  }

  *namedChildren(): Iterable<SyntaxNode> {
    let next = 0;
    for (const c of namedChildrenOf(this.base.rootNode)) {
      // Each span's nodes come before the first base node at or after the span's start.
      for (let s = this.spans[next]; s && s.start <= c.startIndex; s = this.spans[++next]) yield* spanChildren(s);
      if (!this.spanAt(c.startIndex)) yield c;
    }
    for (let s = this.spans[next]; s; s = this.spans[++next]) yield* spanChildren(s);
  }

  hasError(): boolean {
    return false;
  }

  errors(): ParseError[] {
    return [];
  }
}
