import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { CATALOG_ALTERNATIVE_RULE_ID, ruleInfos } from '../../src/analyzers/python/rules/index';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import type { Finding, TextEdit } from '../../src/analyzers/python/types';

const ROOT = path.join(__dirname, '..', '..');
const read = (f: string): string => readFileSync(path.join(ROOT, 'test', 'fixtures', 'python', f), 'utf8');
const hits = (src: string, opts = {}): string[] =>
  analyzePython(src, opts).findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`);

before(async () => {
  await loadPythonGrammar();
});

/** Expected rule hits per fixture, `rule:line` in the order the analyzer sorts them. */
const RULE_HITS: Record<string, string[]> = {
  'torchvision_infer.py': ['GL001:14', 'GL002:14', 'GL003:14', 'GL001:17', 'GL002:17', 'GL004:17', 'GL010:17'],
  'training.py': [
    'GL005:26',
    'GL006:26',
    'GL003:29',
    'GL011:29',
    'GL007:36',
    'GL008:37',
    'GL001:39',
    'GL002:39',
    'GL003:39',
  ],
  'cpu_inference.py': ['GL001:22', 'GL009:22', 'GL010:22'],
  'other_frameworks.py': ['GL011:16'],
  'hub_models.py': ['GL009:18', 'GL009:19', 'GL009:21'],
  'clean.py': [],
  'negatives.py': [],
};

for (const [file, expected] of Object.entries(RULE_HITS)) {
  void test(`rule hits in ${file}`, () => assert.deepEqual(hits(read(file)), expected));
}

/** Applies edits given in original-document positions, last first. */
function applyEdits(src: string, edits: TextEdit[]): string {
  const lines = src.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = src;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Every fixable finding: applying its fix removes that finding and leaves a file that parses. */
for (const file of Object.keys(RULE_HITS)) {
  void test(`quick fixes in ${file} remove their finding and keep the file valid`, () => {
    const src = read(file);
    const fixable = analyzePython(src).findings.filter(
      (f): f is Finding & { fix: NonNullable<Finding['fix']> } => f.fix !== undefined,
    );
    for (const f of fixable) {
      const fixed = applyEdits(src, f.fix.edits);
      const after = analyzePython(fixed);
      assert.equal(after.parseErrors, undefined, `${f.ruleId} fix breaks ${file}:\n${fixed}`);
      // A rule may also fire elsewhere (GL003 on the training loop too): the fixed one must be gone.
      const count = (fs: Finding[]): number => fs.filter((g) => g.ruleId === f.ruleId).length;
      assert.equal(
        count(after.findings),
        count(analyzePython(src).findings) - 1,
        `${f.ruleId} still fires after its fix:\n${fixed}`,
      );
      assert.equal(after.sites.length, analyzePython(src).sites.length);
    }
  });
}

void test('fixes exist where a safe edit does and have the expected text', () => {
  const src = read('torchvision_infer.py');
  const byRule = new Map(analyzePython(src).findings.map((f) => [`${f.ruleId}:${f.range.start.line + 1}`, f]));
  assert.equal(
    byRule.get('GL001:17')?.fix?.edits[0]?.newText,
    '    with torch.inference_mode():\n        pred = legacy(img.unsqueeze(0))',
  );
  assert.equal(byRule.get('GL002:14')?.fix?.edits[0]?.newText, 'model.eval()\n');
  assert.equal(byRule.get('GL010:17')?.fix?.edits[0]?.newText, 'legacy = torch.compile(legacy)\n');
  assert.equal(byRule.get('GL004:17')?.fix, undefined);
  const train = new Map(
    analyzePython(read('training.py')).findings.map((f) => [`${f.ruleId}:${f.range.start.line + 1}`, f]),
  );
  assert.equal(train.get('GL006:26')?.fix?.edits[0]?.newText, ', pin_memory=True');
});

void test('the GL001 fix adds `import torch` when torch is not imported as a module', () => {
  const src =
    '"""Doc."""\nfrom __future__ import annotations\nfrom torchvision.models import resnet18\nm = resnet18()\nm.eval()\ny = m(x)\n';
  const f = analyzePython(src).findings.find((x) => x.ruleId === 'GL001');
  assert.ok(f?.fix);
  const fixed = applyEdits(src, f.fix.edits);
  assert.match(fixed, /from __future__ import annotations\nimport torch\n/);
  assert.deepEqual(hits(fixed), []);
});

void test('decorators and set_grad_enabled count as no-grad regions; a fix is refused on shared lines', () => {
  const src =
    'import torch\nfrom torchvision.models import resnet18\nm = resnet18().eval()\n@torch.no_grad()\ndef f(x):\n    return m(x)\n@torch.inference_mode\ndef g(x):\n    return m(x)\nwith torch.set_grad_enabled(False):\n    y = m(x)\nif x: z = m(x)\n';
  const f = analyzePython(src).findings.filter((x) => x.ruleId === 'GL001');
  assert.deepEqual(
    f.map((x) => x.range.start.line + 1),
    [12],
  );
  assert.equal(f[0]?.fix, undefined);
});

void test('severity settings: one level for all, per rule, off', () => {
  const src = read('training.py');
  assert.ok(analyzePython(src, { severity: { all: 'warning' } }).findings.every((f) => f.severity === 'warning'));
  const per = analyzePython(src, { severity: { perRule: { GL005: 'error', GL007: 'off' } } }).findings;
  assert.equal(per.find((f) => f.ruleId === 'GL005')?.severity, 'error');
  assert.equal(
    per.some((f) => f.ruleId === 'GL007'),
    false,
  );
  assert.equal(per.find((f) => f.ruleId === 'GL001')?.severity, 'information');
});

void test('GL010 respects a known torch version below 2', () => {
  assert.ok(hits(read('cpu_inference.py')).includes('GL010:22'));
  assert.ok(!hits(read('cpu_inference.py'), { torchVersion: '1.13.1' }).includes('GL010:22'));
});

void test('site rules from the caller (the catalog hook) add findings under the reserved id', () => {
  const r = analyzePython(read('hub_models.py'), {
    siteRules: [
      (site) =>
        site.modelId === 'convnext_tiny'
          ? [{ ruleId: CATALOG_ALTERNATIVE_RULE_ID, message: 'x', range: site.range }]
          : [],
    ],
  });
  const f = r.findings.filter((x) => x.ruleId === CATALOG_ALTERNATIVE_RULE_ID);
  assert.deepEqual(
    f.map((x) => [x.site, x.severity]),
    [[1, 'information']],
  );
});

void test('every rule has a documentation page with a default severity of hint or information', () => {
  for (const info of ruleInfos()) {
    assert.ok(existsSync(path.join(ROOT, info.docs)), info.docs);
    assert.ok(info.defaultSeverity === 'hint' || info.defaultSeverity === 'information');
  }
  assert.ok(existsSync(path.join(ROOT, 'docs', 'rules', `${CATALOG_ALTERNATIVE_RULE_ID}.md`)));
});
