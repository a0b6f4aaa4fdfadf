import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePython, loadPythonGrammar } from '../../src/analyzers/python/index';
import type { TextEdit } from '../../src/analyzers/python/types';
import { modelIdEdit, offsetAt, positionAt, weightsEdit } from '../../src/catalog/siteEdits';
import { alternativeEdits, describeSite } from '../../src/vscode/python/model';
import { DEFAULT_SETTINGS } from '../../src/settings';

before(async () => {
  await loadPythonGrammar();
});

function apply(source: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetAt(source, b.range.start) - offsetAt(source, a.range.start));
  let out = source;
  for (const e of sorted)
    out = out.slice(0, offsetAt(out, e.range.start)) + e.newText + out.slice(offsetAt(out, e.range.end));
  return out;
}

function firstSite(source: string) {
  const site = analyzePython(source).sites[0];
  assert.ok(site, 'a site');
  return site;
}

void test('offsets and positions round-trip', () => {
  const s = 'ab\ncdé\n\nx';
  for (let o = 0; o <= s.length; o++) assert.equal(offsetAt(s, positionAt(s, o)), o);
  assert.equal(offsetAt(s, { line: 1, character: 99 }), 6);
});

void test('a torchvision builder and its weights enum are replaced together', () => {
  const src =
    'import torchvision.models as tvm\nmodel = tvm.resnet152(weights=tvm.ResNet152_Weights.IMAGENET1K_V2).eval()\n';
  const site = firstSite(src);
  const m = describeSite(site, DEFAULT_SETTINGS);
  const alt = m.alternatives[0];
  assert.ok(alt, 'an alternative');
  const out = apply(src, alternativeEdits(src, site, alt)!);
  const builder = /^torchvision:([a-z0-9_]+)\.(\w+)$/.exec(alt.entry.name)!;
  assert.equal(out, `import torchvision.models as tvm\nmodel = tvm.${builder[1]}(weights="${builder[2]}").eval()\n`);
});

void test('a quoted hub id is replaced inside its quotes only', () => {
  const src =
    'from transformers import pipeline\nclf = pipeline("image-classification", model=\'google/vit-base-patch16-224\')\n';
  const site = firstSite(src);
  const edit = modelIdEdit(src, site, 'timm/resnet50.a1_in1k')!;
  assert.equal(
    apply(src, [edit]),
    'from transformers import pipeline\nclf = pipeline("image-classification", model=\'timm/resnet50.a1_in1k\')\n',
  );
});

void test('a string weights argument and legacy pretrained calls', () => {
  const src = 'from torchvision import models\nm = models.resnet50(weights="IMAGENET1K_V1")\n';
  const site = firstSite(src);
  assert.equal(
    apply(src, [weightsEdit(src, site, '"DEFAULT"')!]),
    'from torchvision import models\nm = models.resnet50(weights="DEFAULT")\n',
  );
  const legacy = 'from torchvision import models\nm = models.resnet50(pretrained=True)\n';
  const s2 = firstSite(legacy);
  assert.equal(weightsEdit(legacy, s2, '"DEFAULT"'), undefined);
  assert.equal(
    apply(legacy, [modelIdEdit(legacy, s2, 'resnet18')!]),
    'from torchvision import models\nm = models.resnet18(pretrained=True)\n',
  );
});

void test('alternatives are only offered where one name can be rewritten', () => {
  const src = 'import torch\nm = torch.hub.load("pytorch/vision", "resnet152", pretrained=True)\n';
  const site = firstSite(src);
  assert.equal(site.framework, 'torch.hub');
  const m = describeSite(site, DEFAULT_SETTINGS);
  assert.equal(m.match?.entry.arch, 'resnet152');
  assert.deepEqual(m.alternatives, []);
  assert.match(m.alternativesNote ?? '', /cannot rewrite torch\.hub/);
});
