import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { PythonDocumentAnalyzer, type DocumentChange } from '../../src/analyzers/python/document';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { seededRandom } from '../../src/random';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'python');
const EXAMPLES = path.join(ROOT, 'examples');

before(async () => {
  await loadPythonGrammar();
});

/** A generated script of model code and plain helpers, several hundred lines, with every construct the analysis reads. */
function generated(helpers: number): string {
  const out = [
    '"""Generated training and inference script."""',
    'from __future__ import annotations',
    'import torch',
    'import torch.nn as nn',
    'from torchvision.models import resnet50',
    'from torch.utils.data import DataLoader',
    'EPOCHS = 20',
    'device = "cuda"',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.fc = nn.Linear(64, 10)',
    '',
    '    def forward(self, x):',
    '        return self.fc(x)',
    '',
    'model = Net().to(device)',
    'backbone = resnet50(weights="DEFAULT")',
    'loader = DataLoader(data, batch_size=32)',
    '',
  ];
  for (let i = 0; i < helpers; i++) {
    if (i % 5 === 0) out.push('@torch.no_grad()');
    out.push(
      `def helper_${i}(values, scale=${i}):`,
      `    """Helper ${i}."""`,
      '    total = 0.0',
      '    for v in values:',
      '        total += float(v) * scale',
    );
    if (i % 4 === 0) out.push('    with torch.autocast("cuda"):', '        y = backbone(torch.tensor(values))');
    if (i % 7 === 0) out.push('    for x in values:', '        model(x)');
    out.push('    return total', '');
    if (i % 9 === 0)
      out.push(
        'for epoch in range(EPOCHS):',
        '    for x, y in loader:',
        '        loss = model(x).sum()',
        '        loss.backward()',
        '',
      );
  }
  return out.join('\n') + '\n';
}

function sources(): [string, string][] {
  const files = [
    ...readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.py'))
      .map((f) => path.join(FIXTURES, f)),
    ...readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.py'))
      .map((f) => path.join(EXAMPLES, f)),
  ].sort();
  const texts = files.map((f): [string, string] => [path.relative(ROOT, f), readFileSync(f, 'utf8')]);
  const unicode = generated(25)
    .replace(/Helper (\d+)/g, 'Hélper $1 ✓ 😀 模型')
    .replace(/total/g, 'tötal')
    .replace('model = ', '# 😀 modèle\nmodèle = model = ');
  return [
    ...texts,
    ['all fixtures in one file', texts.map(([, t]) => t).join('\n')],
    ['generated', generated(60)],
    ['generated, non-ASCII text and names', unicode],
    ['generated, CRLF line ends', generated(25).replace(/\n/g, '\r\n')],
  ];
}

/** The change that replaces `[start, end)` of `text` by `newText`, with positions as the editor reports them. */
function change(text: string, start: number, end: number, newText: string): DocumentChange {
  const pos = (i: number): { line: number; character: number } => {
    const before = text.slice(0, i);
    const line = before.split('\n').length - 1;
    return { line, character: i - (before.lastIndexOf('\n') + 1) };
  };
  return { startIndex: start, oldEndIndex: end, start: pos(start), oldEnd: pos(end), newText };
}

const CHARS = ['(', ')', '[', ']', '"', "'", '#', ':', '\n', ' ', '    ', '\t', '\\', 'x', '.', ',', '=', '@', '"""'];
const LINES = [
  'model.eval()\n',
  'x = resnet50()\n',
  '    pass\n',
  'import torch.nn as nn\n',
  '"""\n',
  '# note\n',
  '\n',
  'for epoch in range(3):\n',
  'with torch.no_grad():\n',
  '    y = model(x)\n',
];

/**
 * One random edit: a character typed or deleted anywhere, a line inserted or deleted, a comment or space
 * at the end of a line (as in typing), or a blank line added or removed between statements.
 */
function randomEdit(text: string, rand: () => number): DocumentChange {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const line = Math.floor(rand() * lineStarts.length);
  const ls = lineStarts[line] ?? 0;
  const le = text.indexOf('\n', ls) === -1 ? text.length : text.indexOf('\n', ls);
  const at = Math.floor(rand() * (text.length + 1));
  switch (Math.floor(rand() * 10)) {
    case 0:
      return change(text, at, at, pick(CHARS));
    case 1:
      return change(text, at, Math.min(text.length, at + 1), '');
    case 2:
      return change(text, ls, ls, pick(LINES));
    case 3:
      return change(text, ls, Math.min(text.length, le + 1), '');
    case 4:
      return change(text, le, le, pick(['#', ' ', 'x', ' # done']));
    case 5:
      return change(text, ls, ls, text.slice(ls, Math.min(text.length, le + 1)));
    case 6:
      return change(text, le, le, '\n');
    case 7:
      return change(text, le, le, pick(['#', ' ']));
    case 8:
      return change(text, le, Math.min(text.length, le + 1), '\n\n');
    default:
      return text.slice(ls, le).trim() === ''
        ? change(text, ls, Math.min(text.length, le + 1), '')
        : change(text, le, le, 'z');
  }
}

void test('incremental analysis after random edits equals a fresh analysis of the same text', () => {
  const rand = seededRandom(20240611);
  let edits = 0;
  const parses = { whole: 0, region: 0, none: 0 };
  for (const [name, original] of sources()) {
    const doc = new PythonDocumentAnalyzer(original);
    assert.deepEqual(doc.analyze(), analyzePython(original, { prefilter: false }), name);
    let text = original;
    for (let round = 0; round < 80; round++) {
      // Usually one edit per analysis, as when typing; sometimes several, as after a paste or a quick burst.
      const batch = rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 4);
      for (let i = 0; i < batch; i++) {
        const c = randomEdit(text, rand);
        doc.update(c);
        text = text.slice(0, c.startIndex) + c.newText + text.slice(c.oldEndIndex);
        edits++;
      }
      // Every so often go back to the original, so that files do not decay into pure syntax errors.
      if (round % 10 === 9) {
        doc.update(change(text, 0, text.length, original));
        text = original;
      }
      assert.equal(doc.source, text);
      const got = doc.analyze();
      parses[doc.lastWork.parse]++;
      assert.deepEqual(got, analyzePython(text, { prefilter: false }), `${name}, round ${round}:\n${text}`);
    }
    doc.dispose();
  }
  // Both ways of re-parsing must have been exercised, or the comparison proves less than it claims.
  assert.ok(edits > 1000, `${edits} edits`);
  assert.ok(parses.region > 200 && parses.whole > 200, JSON.stringify(parses));
});

void test('typing in a large clean file re-parses only the statements around the edit', () => {
  const text = generated(150);
  const doc = new PythonDocumentAnalyzer(text);
  doc.analyze();
  const lines = text.split('\n');
  let offset = 0;
  const work: { parse: string; statementsRead: number }[] = [];
  for (const [i, l] of lines.entries()) {
    if (i % 7 === 3) {
      // A comment at the end of the line, or on a blank line between two functions.
      const at = offset + l.length;
      doc.update(change(doc.source, at, at, '#'));
      offset++;
      const got = doc.analyze();
      work.push(doc.lastWork);
      if (work.length % 3 === 0)
        assert.deepEqual(got, analyzePython(doc.source, { prefilter: false }), `after ${work.length} edits`);
    }
    offset += l.length + 1;
  }
  assert.equal(doc.source.split('#').length - 1, text.split('#').length - 1 + work.length);
  assert.deepEqual(doc.analyze(), analyzePython(doc.source, { prefilter: false }));
  const region = work.filter((w) => w.parse === 'region');
  assert.ok(region.length >= work.length * 0.9, JSON.stringify(work));
  assert.ok(
    region.every((w) => w.statementsRead <= 4),
    JSON.stringify(region),
  );
  doc.dispose();
});

void test('an edit that breaks the syntax falls back to a whole parse, and fixing it returns to region parses', () => {
  const text = generated(20);
  const doc = new PythonDocumentAnalyzer(text);
  doc.analyze();
  const at = text.indexOf('    total = 0.0');
  doc.update(change(text, at, at, 'x = ('));
  const broken = doc.analyze();
  assert.ok(broken.parseErrors && broken.parseErrors.length > 0);
  assert.equal(doc.lastWork.parse, 'whole');
  doc.update(change(doc.source, at, at + 5, ''));
  assert.deepEqual(doc.analyze(), analyzePython(text, { prefilter: false }));
  assert.equal(doc.lastWork.parse, 'whole');
  doc.update(change(doc.source, at, at, '#'));
  doc.analyze();
  assert.equal(doc.lastWork.parse, 'region');
  doc.dispose();
});
