/**
 * Bounds on what one Python file may cost the analyzer, checked by a cheap scan of the text before the
 * tree-sitter parse. The parser's memory grows with the number of syntax nodes and its WASM memory never
 * shrinks, so a generated file (a 5-million-element list, a 3-million-argument call, a long `+` chain)
 * could take a worker past a gigabyte; and very deep nesting makes the WASM parser fault.
 *
 * The nesting caps are CPython's own: its tokenizer refuses more than 100 levels of indentation
 * (MAXINDENT) and more than 200 nested brackets (MAXLEVEL), so a file past them is not a program anyone
 * runs. The token cap lets real source through (about six bytes a token, so a 2 MB file of ordinary code
 * has some 350,000) and stops files that are little more than separators.
 */

/** The caps a file is checked against before it is parsed. */
export interface PythonLimits {
  /** Workspace files larger than this many bytes are not read. */
  maxBytes: number;
  /** Levels of indentation (blocks inside blocks). */
  maxIndentDepth: number;
  /** Nested brackets: (), [] and {}. */
  maxBracketDepth: number;
  /** Tokens: names, numbers, strings and operators. */
  maxTokens: number;
}

export const PYTHON_LIMITS: Readonly<PythonLimits> = Object.freeze({
  maxBytes: 2 * 1024 * 1024,
  maxIndentDepth: 100,
  maxBracketDepth: 200,
  maxTokens: 500_000,
});

/** The start of every message that says a file was skipped on a limit. */
export const SKIPPED = 'Not analyzed:';

/** The message for a file over the size limit. */
export function tooLargeMessage(bytes: number, max = PYTHON_LIMITS.maxBytes): string {
  return `${SKIPPED} ${(bytes / 1e6).toFixed(1)} MB is over the ${(max / 1e6).toFixed(1)} MB limit for one Python file.`;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const BACKSLASH = 92;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c > 127;
}

/** Scanner state, advanced one character at a time by {@link nestingScan}. */
interface Scan {
  src: string;
  i: number;
  brackets: number;
  indents: number[];
  tokens: number;
}

/** Skips a string literal starting at the quote at `s.i`; returns with `s.i` after its end. */
function skipString(s: Scan): void {
  const q = s.src.charCodeAt(s.i);
  const triple = s.src.charCodeAt(s.i + 1) === q && s.src.charCodeAt(s.i + 2) === q;
  s.i += triple ? 3 : 1;
  for (; s.i < s.src.length; s.i++) {
    const c = s.src.charCodeAt(s.i);
    if (c === BACKSLASH) s.i++;
    else if (c === q && (!triple || (s.src.charCodeAt(s.i + 1) === q && s.src.charCodeAt(s.i + 2) === q))) {
      s.i += triple ? 3 : 1;
      return;
    } else if (c === LF && !triple) return;
  }
}

/**
 * Measures the indentation at the start of a logical line and updates the indentation stack, as
 * CPython's tokenizer does (a tab moves to the next multiple of 8). Blank and comment-only lines do not
 * count. Leaves `s.i` at the line's first non-blank character.
 */
function indentLine(s: Scan): void {
  let width = 0;
  let i = s.i;
  for (; i < s.src.length; i++) {
    const c = s.src.charCodeAt(i);
    if (c === SPACE) width++;
    else if (c === TAB) width = (Math.floor(width / 8) + 1) * 8;
    else if (c === 12) width = 0;
    else break;
  }
  s.i = i;
  const c = s.src.charCodeAt(i);
  if (i >= s.src.length || c === LF || c === CR || c === HASH) return;
  const stack = s.indents;
  if (width > (stack[stack.length - 1] as number)) stack.push(width);
  else while (stack.length > 1 && width < (stack[stack.length - 1] as number)) stack.pop();
}

/** Why a source text is over one of the limits, or undefined when it is within all of them. */
export function limitReason(src: string, limits: Readonly<PythonLimits> = PYTHON_LIMITS): string | undefined {
  const s: Scan = { src, i: 0, brackets: 0, indents: [0], tokens: 0 };
  let lineStart = true;
  while (s.i < src.length) {
    if (lineStart && s.brackets === 0) {
      indentLine(s);
      if (s.indents.length - 1 > limits.maxIndentDepth)
        return `${SKIPPED} blocks are nested deeper than ${limits.maxIndentDepth} levels (CPython refuses such a file too).`;
    }
    lineStart = false;
    const c = src.charCodeAt(s.i);
    if (c === LF) {
      lineStart = true;
      s.i++;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) s.i++;
    else if (c === BACKSLASH)
      s.i += 2; // a line continuation: the next line is not a new logical line
    else if (c === HASH) while (s.i < src.length && src.charCodeAt(s.i) !== LF) s.i++;
    else if (c === 34 || c === 39) {
      s.tokens++;
      skipString(s);
    } else if (isWordChar(c)) {
      s.tokens++;
      while (s.i < src.length && isWordChar(src.charCodeAt(s.i))) s.i++;
      // A string prefix (r, b, f, u and their pairs) belongs to the string that follows.
      const q = src.charCodeAt(s.i);
      if (q === 34 || q === 39) skipString(s);
    } else {
      s.tokens++;
      if (c === 40 || c === 91 || c === 123) {
        if (++s.brackets > limits.maxBracketDepth)
          return `${SKIPPED} brackets are nested deeper than ${limits.maxBracketDepth} levels (CPython refuses such a file too).`;
      } else if ((c === 41 || c === 93 || c === 125) && s.brackets > 0) s.brackets--;
      s.i++;
    }
    if (s.tokens > limits.maxTokens)
      return `${SKIPPED} more than ${limits.maxTokens.toLocaleString('en-US')} tokens, over the limit for one Python file.`;
  }
  return undefined;
}
