/**
 * Hostile Python files: nesting deeper than CPython allows and generated files of millions of tokens are
 * skipped with a message before the parse, larger files are not read, and a parser that faults is replaced
 * so that later files are still analyzed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { PythonDocumentAnalyzer } from '../../src/analyzers/python/document';
import { analyzeFile } from '../../src/analyzers/python/files';
import { PYTHON_LIMITS, limitReason } from '../../src/analyzers/python/limits';
import { loadPythonGrammar, parserReplacements, type PythonGrammar } from '../../src/analyzers/python/treeSitter';
import { analyzePythonFiles } from '../../src/analyzers/python/pool';

let dir = '';
let grammar: PythonGrammar;
before(async () => {
  grammar = await loadPythonGrammar();
  dir = mkdtempSync(path.join(tmpdir(), 'greenlens-pylimits-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const good = 'import torchvision\nm = torchvision.models.resnet18()\n';

/** `depth` functions nested in each other, indented with `indent`, with a model site in the innermost. */
function nestedDefs(depth: number, indent: string): string {
  const lines = ['import torchvision'];
  for (let i = 0; i < depth; i++) lines.push(`${indent.repeat(i)}def f${i}(x):`);
  lines.push(`${indent.repeat(depth)}m = torchvision.models.resnet50()`);
  return lines.join('\n') + '\n';
}

void test('700 nested functions (a 250 KB file) are skipped with a message; three good files beside it are analyzed', async () => {
  const deep = nestedDefs(700, '\t');
  assert.ok(deep.length > 240_000);
  const files = ['deep.py', 'a.py', 'b.py', 'c.py'].map((f) => path.join(dir, f));
  writeFileSync(files[0] as string, deep);
  for (const f of files.slice(1)) writeFileSync(f, good);
  for (const workers of [1, 2]) {
    const results = await analyzePythonFiles(files, { workers });
    assert.match(results[0]?.error ?? '', /^Not analyzed: blocks are nested deeper than 100 levels/);
    assert.deepEqual(
      results.map((r) => r.analysis?.sites.length),
      [0, 1, 1, 1],
    );
  }
});

void test("nesting up to CPython's limits is analyzed; one level more is skipped", () => {
  assert.equal(analyzePython(nestedDefs(100, ' ')).sites.length, 1);
  const over = analyzePython(nestedDefs(101, ' '));
  assert.equal(over.sites.length, 0);
  assert.match(over.parseErrors?.[0]?.message ?? '', /nested deeper than 100 levels/);
  const brackets = (n: number): string => `${good}z = ${'('.repeat(n)}m${')'.repeat(n)}\n`;
  assert.equal(analyzePython(brackets(199)).sites.length, 1);
  assert.match(
    analyzePython(brackets(201)).parseErrors?.[0]?.message ?? '',
    /brackets are nested deeper than 200 levels/,
  );
});

void test('brackets and indentation inside strings, comments and continuations do not count', () => {
  const src = `${good}s = "${'('.repeat(500)}"\nt = '''\n${'  '.repeat(300)}x\n${'['.repeat(300)}'''\n# ${'{'.repeat(300)}\nu = (1,\n${' '.repeat(400)}2)\nv = 1 + \\\n${' '.repeat(400)}2\n`;
  assert.equal(limitReason(src), undefined);
  assert.equal(analyzePython(src).sites.length, 1);
});

void test('generated files of millions of tokens are skipped before the parse', () => {
  const call = `${good}x = f(${'1,'.repeat(3_000_000)})\n`;
  assert.match(analyzePython(call).parseErrors?.[0]?.message ?? '', /more than 500,000 tokens/);
  const chain = `${good}x = ${'a + '.repeat(1_500_000)}a\n`;
  assert.match(limitReason(chain) ?? '', /tokens/);
  assert.equal(
    limitReason('x = [1, 2, 3]\n', { ...PYTHON_LIMITS, maxTokens: 8 }),
    'Not analyzed: more than 8 tokens, over the limit for one Python file.',
  );
});

void test('a file over the size limit is not read, and the result says why', async () => {
  const big = path.join(dir, 'big.py');
  writeFileSync(big, '#'.repeat(PYTHON_LIMITS.maxBytes + 1));
  const r = await analyzeFile(big);
  assert.equal(r.analysis, undefined);
  assert.match(r.error ?? '', /^Not analyzed: 2\.1 MB is over the 2\.1 MB limit for one Python file\.$/);
});

void test('a parser that faults is replaced, so the files after it are still analyzed', () => {
  const poisoned = grammar.parser;
  // Stands in for the WASM fault: a parser in this state fails on every later parse too.
  const original = poisoned.parse.bind(poisoned);
  // WebAssembly is a global of Node that this project's TypeScript libraries do not declare.
  const { RuntimeError } = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly;
  poisoned.parse = () => {
    throw new RuntimeError('memory access out of bounds');
  };
  const before = parserReplacements();
  try {
    const faulted = analyzePython(good);
    assert.equal(faulted.incomplete, 'fault');
    assert.match(
      faulted.parseErrors?.[0]?.message ?? '',
      /^Not analyzed: the Python parser failed on this file \(memory access out of bounds\)/,
    );
    assert.equal(parserReplacements(), before + 1);
    assert.notEqual(grammar.parser, poisoned);
    assert.equal(analyzePython(good).sites.length, 1);
    assert.equal(analyzePython(good).sites.length, 1);
  } finally {
    poisoned.parse = original;
  }
});

void test('an open document whose parse faults says so, and the next document is analyzed', () => {
  const poisoned = grammar.parser;
  const original = poisoned.parse.bind(poisoned);
  const { RuntimeError } = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly;
  poisoned.parse = () => {
    throw new RuntimeError('memory access out of bounds');
  };
  try {
    const doc = new PythonDocumentAnalyzer(good);
    const r = doc.analyze();
    assert.equal(r.incomplete, 'fault');
    assert.match(r.parseErrors?.[0]?.message ?? '', /parser failed/);
    doc.dispose();
    const next = new PythonDocumentAnalyzer(good);
    assert.equal(next.analyze().sites.length, 1);
    next.dispose();
  } finally {
    poisoned.parse = original;
  }
});
