import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findCycle, moduleGraph, valueSpecifiers } from './helpers/importGraph';

const SRC = path.resolve(__dirname, '..', '..', 'src');

void test('type-only imports are not edges; imports, re-exports, import() and require() are', () => {
  const text = [
    "import type { A } from './a';",
    "import { type B, type C } from './b';",
    "import { d, type D } from './d';",
    "import * as e from './e';",
    "export { f } from './f';",
    "export type { G } from './g';",
    "const h = () => import('./h');",
    "const i = require('./i');",
    "import fs from 'node:fs';",
  ].join('\n');
  assert.deepEqual(valueSpecifiers('x.ts', text), ['./d', './e', './f', './h', './i']);
});

void test('a value cycle between two top-level modules is found and named by its imports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-graph-'));
  try {
    for (const d of ['alpha', 'beta']) mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, 'alpha', 'one.ts'), "import { two } from '../beta/two';\nexport const one = two;\n");
    writeFileSync(path.join(dir, 'beta', 'two.ts'), "import type { X } from '../alpha/one';\nexport const two = 2;\n");
    assert.equal(findCycle(moduleGraph(dir)), undefined, 'a type-only import back is no cycle');
    writeFileSync(
      path.join(dir, 'beta', 'three.ts'),
      "import { one } from '../alpha/one';\nexport const three = one;\n",
    );
    const cycle = findCycle(moduleGraph(dir));
    assert.deepEqual(
      cycle?.map((e) => `${e.from}→${e.to}`),
      ['alpha→beta', 'beta→alpha'],
    );
    assert.match(cycle?.[1]?.example ?? '', /three\.ts → \.\.\/alpha\/one/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('src has no value import cycle between its top-level modules and files', () => {
  const cycle = findCycle(moduleGraph(SRC));
  assert.equal(cycle, undefined, `import cycle: ${cycle?.map((e) => `${e.from} → ${e.to} (${e.example})`).join(', ')}`);
});
