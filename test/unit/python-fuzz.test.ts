/**
 * Hostile Python files (test/fuzz/cases.ts, small sizes) through the file analyzer: every file is analyzed
 * or skipped with a "Not analyzed" message, nothing throws, and good files after them still work. The
 * long run with full sizes, time limits and memory checks is `npm run fuzz`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeFileSync } from '../../src/analyzers/python/files';
import { SKIPPED } from '../../src/analyzers/python/limits';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { PYTHON_FAMILIES, pythonCase } from '../fuzz/cases';

let dir = '';
before(async () => {
  await loadPythonGrammar();
  dir = mkdtempSync(path.join(tmpdir(), 'greenlens-pyfuzz-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

void test('320 hostile Python files of every family: analyzed or skipped with a reason, seeded and time-bounded', (t) => {
  const good = path.join(dir, 'good.py');
  writeFileSync(good, 'import torchvision\nm = torchvision.models.resnet18()\n');
  const start = performance.now();
  const seen = new Map<string, { ok: number; skipped: number }>();
  let ran = 0;
  for (let i = 0; i < 320 && performance.now() - start < 120_000; i++) {
    const c = pythonCase(77, i, 0.1);
    const file = path.join(dir, `case${i}.py`);
    writeFileSync(file, c.source);
    const r = analyzeFileSync(file);
    if (r.error) assert.ok(r.error.startsWith(SKIPPED), `${c.label}: unexpected error ${r.error}`);
    const family = c.label.split(' ')[0] as string;
    const row = seen.get(family) ?? { ok: 0, skipped: 0 };
    if (r.error) row.skipped++;
    else row.ok++;
    seen.set(family, row);
    // The parser is not poisoned: a good file right after each hostile one is still analyzed.
    assert.equal(analyzeFileSync(good).analysis?.sites.length, 1, `after ${c.label}`);
    ran++;
  }
  t.diagnostic(`${ran} files: ${[...seen].map(([f, r]) => `${f} ${r.ok}/${r.skipped}`).join(', ')}`);
  assert.ok(ran >= PYTHON_FAMILIES.length, 'every family ran at least once');
});
