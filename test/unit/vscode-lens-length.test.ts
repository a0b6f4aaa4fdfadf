import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { catalogEntries } from '../../src/catalog/catalog';
import { entryInferenceEnergy } from '../../src/catalog/recommend';
import { describeSite } from '../../src/vscode/python/model';
import { LENS_MAX, siteLensTitle, type SiteFacts } from '../../src/vscode/python/format';
import { DEFAULT_SETTINGS } from '../../src/settings';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

before(async () => {
  await loadPythonGrammar();
});

void test('every lens of the examples fits LENS_MAX characters and keeps its name first', () => {
  const titles: string[] = [];
  for (const f of readdirSync(EXAMPLES).filter((n) => n.endsWith('.py'))) {
    for (const site of analyzePython(readFileSync(path.join(EXAMPLES, f), 'utf8')).sites) {
      if (site.kind === 'define') continue;
      const m = describeSite(site, DEFAULT_SETTINGS);
      const title = siteLensTitle(m);
      titles.push(title);
      assert.ok(title.length <= LENS_MAX, `${f}: "${title}" is ${title.length} characters`);
      assert.ok(title.startsWith(m.label.slice(0, 8)), `${f}: "${title}" starts with the model's name`);
    }
  }
  assert.ok(titles.length >= 6, `the examples hold model sites: ${titles.join(' | ')}`);
  assert.ok(
    titles.some((t) => /^resnet152 · ≈ [\d.]+ [mµ]?J\/inf · grade D$/.test(t)),
    titles.join(' | '),
  );
});

void test('a lens for every catalog name fits LENS_MAX and keeps its energy and grade', () => {
  const entries = catalogEntries();
  assert.ok(entries.length > 1000);
  let withGrade = 0;
  for (const entry of entries) {
    const facts: SiteFacts = {
      site: {
        framework: entry.source === 'timm' ? 'timm' : 'torchvision',
        kind: 'create',
        modelId: entry.name,
        callee: 'create_model',
      },
      label: entry.name,
      match: { entry },
      energy: entryInferenceEnergy(entry),
      alternatives: [],
      notes: [],
    };
    const title = siteLensTitle(facts);
    assert.ok(title.length <= LENS_MAX, `"${title}" is ${title.length} characters`);
    assert.doesNotMatch(title, /NaN|Infinity|undefined/);
    if (!entry.testNetwork) {
      assert.match(title, / · (≈ )?[\d.,]+ [mµnk]?J\/inf · grade [A-G](–[A-G])?$/, title);
      withGrade++;
    }
  }
  assert.ok(withGrade > 1000);
});

void test('a very long name gives way to the figures, not the other way round', () => {
  const entry = catalogEntries().find((e) => !e.testNetwork)!;
  const facts: SiteFacts = {
    site: { framework: 'transformers', kind: 'load', modelId: 'x', callee: 'from_pretrained' },
    label: `org/${'very-long-model-name-'.repeat(6)}`,
    match: { entry },
    energy: entryInferenceEnergy(entry),
    alternatives: [],
    notes: [],
  };
  const title = siteLensTitle(facts);
  assert.equal(title.length, LENS_MAX);
  assert.match(title, /^org\/very-long-model-name-.*… · /);
  assert.match(title, /grade [A-G]/);
});
