import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { PythonDocumentAnalyzer } from '../../src/analyzers/python/document';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { analyzePythonFiles } from '../../src/analyzers/python/pool';
import { analyzeCommand } from '../../src/cli/commands/analyze';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');
let dir = '';

before(async () => {
  await loadPythonGrammar();
  dir = mkdtempSync(path.join(tmpdir(), 'greenlens-py-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const model = 'import torch\nfrom torchvision.models import resnet18\nm = resnet18()\ny = m(x)\n';

void test('a file that does not parse still yields the sites of its valid parts and its errors', () => {
  const r = analyzePython(model + 'def broken(:\n    return )\n');
  assert.equal(r.sites.length, 1);
  assert.ok(r.parseErrors && r.parseErrors.length > 0);
});

void test('binary bytes: NUL bytes are refused, other garbage parses with errors, nothing throws', () => {
  const nul = analyzePython('import torch\n\0\x01\x02' + model);
  assert.equal(nul.sites.length, 0);
  assert.match(nul.parseErrors?.[0]?.message ?? '', /NUL/);
  const garbage = analyzePython(model + Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x7f]).toString('utf8') + '\n');
  assert.equal(garbage.sites.length, 1);
});

void test("deep nesting does not overflow the stack: analyzed up to CPython's limits, skipped beyond", () => {
  const nest = (depth: number): string =>
    model +
    'z = ' +
    '('.repeat(depth) +
    'm(x)' +
    ')'.repeat(depth) +
    '\n' +
    'w = ' +
    '['.repeat(depth) +
    ']'.repeat(depth) +
    '\n';
  assert.equal(analyzePython(nest(199)).sites.length, 1);
  assert.match(analyzePython(nest(5000)).parseErrors?.[0]?.message ?? '', /^Not analyzed: brackets are nested/);
  const blocks = (depth: number): string => {
    let src = model;
    for (let i = 0; i < depth; i++) src += ' '.repeat(i) + 'if x:\n';
    return src + ' '.repeat(depth) + 'y = m(x)\n';
  };
  assert.ok(analyzePython(blocks(100)).inferenceCalls.length >= 1);
  assert.match(analyzePython(blocks(300)).parseErrors?.[0]?.message ?? '', /^Not analyzed: blocks are nested/);
});

void test('a 1 MB generated file (under the size and token limits) is analyzed in bounded time, and the timeout bounds a parse', () => {
  const chunk = 'def f_%(a, b):\n    t = torch.zeros(a, b)\n    return m(t) + [i * 2 for i in range(a)]\n\n';
  let src = model;
  for (let i = 0; src.length < 1_000_000; i++) src += chunk.replace('%', String(i));
  const t0 = performance.now();
  const r = analyzePython(src, { timeoutMs: 20_000 });
  const ms = performance.now() - t0;
  assert.equal(r.incomplete, undefined);
  assert.ok(r.inferenceCalls.length > 1000);
  assert.ok(ms < 20_000, `took ${ms} ms`);
  const bounded = analyzePython(src, { timeoutMs: 1 });
  assert.equal(bounded.incomplete, 'timeout');
  // The parser is usable again after a cancelled parse.
  assert.equal(analyzePython(model).sites.length, 1);
});

void test('an aborted signal cancels the analysis', () => {
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => analyzePython(model, { signal: ac.signal }));
});

void test('incremental updates give the same result as a fresh analysis', () => {
  const src = readFileSync(path.join(FIXTURES, 'torchvision_infer.py'), 'utf8');
  const doc = new PythonDocumentAnalyzer(src);
  assert.deepEqual(doc.analyze(), analyzePython(src));
  // Insert `model.eval()` before line 14 (0-based 13), then type a character in a comment-free spot.
  const lines = src.split('\n');
  const at = lines.slice(0, 13).reduce((n, l) => n + l.length + 1, 0);
  doc.update({
    startIndex: at,
    oldEndIndex: at,
    start: { line: 13, character: 0 },
    oldEnd: { line: 13, character: 0 },
    newText: 'model.eval()\n',
  });
  const edited = src.slice(0, at) + 'model.eval()\n' + src.slice(at);
  assert.equal(doc.source, edited);
  assert.deepEqual(doc.analyze(), analyzePython(edited));
  assert.ok(!doc.analyze().findings.some((f) => f.ruleId === 'GL002' && f.range.start.line === 14));
  // Delete the inserted text again (a multi-line deletion).
  doc.update({
    startIndex: at,
    oldEndIndex: at + 13,
    start: { line: 13, character: 0 },
    oldEnd: { line: 14, character: 0 },
    newText: '',
  });
  assert.deepEqual(doc.analyze(), analyzePython(src));
  doc.dispose();
});

void test('a workspace with bad files is still analyzed, on worker threads and in-process alike', async () => {
  mkdirSync(path.join(dir, 'pkg'));
  writeFileSync(path.join(dir, 'good.py'), model);
  writeFileSync(path.join(dir, 'broken.py'), 'def (:\n' + model);
  writeFileSync(path.join(dir, 'binary.py'), Buffer.from([0, 1, 2, 3, 0xff, 0x00]));
  writeFileSync(path.join(dir, 'pkg', 'other.py'), readFileSync(path.join(FIXTURES, 'training.py')));
  writeFileSync(path.join(dir, 'ignored.py'), model);
  writeFileSync(path.join(dir, '.gitignore'), 'ignored.py\n');
  const files = ['good.py', 'broken.py', 'binary.py', 'pkg/other.py'].map((f) => path.join(dir, f));
  const onWorkers = await analyzePythonFiles(files, { workers: 2 });
  const inProcess = await analyzePythonFiles(files, { workers: 1 });
  assert.deepEqual(onWorkers, inProcess);
  assert.deepEqual(
    onWorkers.map((r) => r.analysis?.sites.length),
    [1, 1, 0, 3],
  );

  const out: string[] = [];
  const code = await analyzeCommand.run([dir, '--format', 'json', '--exclude', 'pkg/'], {
    out: (t) => out.push(t),
    err: () => undefined,
    isTTY: false,
    cwd: dir,
  });
  assert.equal(code, 0);
  const json = JSON.parse(out.join('\n')) as { files: { file: string }[] };
  assert.deepEqual(json.files.map((f) => f.file).sort(), ['binary.py', 'broken.py', 'good.py']);
  const text: string[] = [];
  await analyzeCommand.run([dir], { out: (t) => text.push(t), err: () => undefined, isTTY: false, cwd: dir });
  assert.ok(
    text.some((l) => l.startsWith(`pkg${path.sep}other.py:36:1: information GL007`)),
    text.join('\n'),
  );
  assert.match(text.at(-1) ?? '', /^4 Python files, 5 model sites, \d+ findings$/);
});
