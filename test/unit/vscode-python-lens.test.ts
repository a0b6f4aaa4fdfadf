import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupModel } from '../../src/catalog/catalog';
import { makeEstimate } from '../../src/energy/quantity';
import type { ModelSite } from '../../src/analyzers/python/types';
import {
  alternativeItem,
  modelCardLines,
  perInference,
  siteLensTitle,
  siteLensTooltip,
  shortLabel,
  type SiteFacts,
} from '../../src/vscode/python/format';
import { recommendAlternatives } from '../../src/catalog/recommend';
import { describeSite, lookupSite, torchvisionWeightsTag } from '../../src/vscode/python/model';
import { summarizeTraining } from '../../src/catalog/training-loop';
import { DEFAULT_SETTINGS } from '../../src/settings';

function site(over: Partial<ModelSite>): ModelSite {
  return {
    range: { start: { line: 0, character: 8 }, end: { line: 0, character: 30 } },
    framework: 'torchvision',
    kind: 'create',
    args: {},
    callee: 'torchvision.models.resnet50',
    boundTo: ['model'],
    modelId: 'resnet50',
    context: {
      evalCalled: false,
      compiled: false,
      quantized: false,
      pruned: false,
      inferenceCalls: 0,
      trainingLoops: 0,
    },
    ...over,
  };
}

void test("a catalog model's lens shows energy and grade; the tooltip says how they were obtained", () => {
  const m = describeSite(
    site({ modelId: 'resnet152', args: { weights: { expr: 'tvm.ResNet152_Weights.IMAGENET1K_V2' } } }),
    DEFAULT_SETTINGS,
  );
  assert.equal(m.match?.entry.name, 'torchvision:resnet152.IMAGENET1K_V2');
  const title = siteLensTitle(m);
  assert.match(title, /^resnet152 · ≈ \d+(\.\d+)? mJ\/inf · grade D$/);
  const tip = siteLensTooltip(m);
  assert.match(tip, /60\.2 M params · 11\.6 GMACs/);
  assert.match(
    tip,
    /Energy per inference: ≈ [\d.]+ mJ, band [\d.]+ mJ – [\d.]+ mJ \(estimated: RTX 3090 measured throughput × 350 W\)/,
  );
  assert.match(tip, /Sources: /);
  assert.match(tip, /Grade D on RTX 3090/);
  assert.match(tip, /[1-5] greener options? in the catalog/);
});

void test('an unknown model shows only its name', () => {
  const m = describeSite(
    site({
      framework: 'transformers',
      kind: 'pipeline',
      modelId: 'acme/secret-model',
      callee: 'transformers.pipeline',
    }),
    DEFAULT_SETTINGS,
  );
  assert.equal(m.match, undefined);
  assert.equal(siteLensTitle(m), 'acme/secret-model · not in catalog');
  assert.match(siteLensTooltip(m), /Not in the GreenLens catalog/);
  assert.ok(modelCardLines(m).some((l) => l.includes('not in the GreenLens catalog')));
});

void test('non-finite figures never reach the text: the field is left out', () => {
  const entry = lookupModel('resnet50')!.entry;
  const facts: SiteFacts = {
    site: { framework: 'torchvision', kind: 'create', modelId: 'resnet50', callee: 'x' },
    label: 'resnet50',
    match: { entry: { ...entry, paramsM: Number.NaN, gmacs: Number.POSITIVE_INFINITY } },
    energy: { ...makeEstimate(1, 'J', { method: 'm' }), value: Number.NaN },
    alternatives: [],
    notes: [],
  };
  const title = siteLensTitle(facts);
  assert.doesNotMatch(title, /NaN|Infinity|undefined/);
  assert.equal(title, `resnet50 · grade ${entry.grade}`);
  assert.doesNotMatch(siteLensTooltip(facts), /NaN|Infinity|undefined/);
  assert.equal(perInference(facts.energy), undefined);
  for (const line of modelCardLines(facts)) assert.doesNotMatch(line, /NaN|Infinity/);
});

void test('weights tags and lookups per framework', () => {
  assert.equal(
    torchvisionWeightsTag(site({ args: { weights: { expr: 'ResNet50_Weights.IMAGENET1K_V1' } } })),
    'IMAGENET1K_V1',
  );
  assert.equal(torchvisionWeightsTag(site({ args: { weights: 'DEFAULT' } })), 'DEFAULT');
  assert.equal(torchvisionWeightsTag(site({ args: { weights: null } })), undefined);
  assert.equal(
    lookupSite(site({ args: { weights: { expr: 'ResNet50_Weights.IMAGENET1K_V1' } } }))?.entry.name,
    'torchvision:resnet50.IMAGENET1K_V1',
  );
  // Keras names look like torchvision builders but are other weights: no catalog figures for them.
  assert.equal(lookupSite(site({ framework: 'keras', modelId: 'ResNet50' })), undefined);
  assert.equal(lookupSite(site({ framework: 'transformers', modelId: 'microsoft/resnet-50' }))?.entry.arch, 'resnet50');
});

void test('shortLabel keeps short names and cuts long ones', () => {
  assert.equal(shortLabel('resnet50'), 'resnet50');
  assert.equal(shortLabel('x'.repeat(60)).length, 48);
});

void test('the training lens states its assumptions and never shows non-finite numbers', () => {
  const loop = {
    range: site({}).range,
    kind: 'loop' as const,
    epochs: 30,
    batchSize: 64,
    hasEarlyStopping: false,
    hasCheckpoint: false,
    usesAutocast: false,
  };
  const s = summarizeTraining(loop, 'resnet50', undefined, DEFAULT_SETTINGS);
  assert.match(
    s.title,
    /^Training loop · 30 epochs · batch 64 · ≈ .+ kWh, .+ kgCO2e, .+ USD per 10,000 images\/epoch · estimated for an RTX 3090 \(assumed: no GPU found\)$/,
  );
  assert.ok(s.details.some((d) => d.includes('dataset size is not in the code')));
  const perEpoch = summarizeTraining({ ...loop, epochs: undefined }, 'resnet50', undefined, DEFAULT_SETTINGS);
  assert.match(perEpoch.title, /per epoch, per 10,000 images\/epoch/);
  const unknown = summarizeTraining(loop, undefined, undefined, DEFAULT_SETTINGS);
  assert.equal(unknown.title, 'Training loop · 30 epochs · batch 64 · model not in catalog: no energy estimate');
  for (const t of [s.title, perEpoch.title]) assert.doesNotMatch(t, /NaN|Infinity|undefined/);
});

void test('the quick pick says when savings in money use the default price, and the card names the grade device', () => {
  const alt = recommendAlternatives('resnet152', { electricityPrice: 0.15, currency: 'USD', inferencesPerDay: 1e6 })!
    .alternatives[0]!;
  assert.match(alternativeItem(alt, 'x', 'USD').description, /USD at the default price/);
  const mine = recommendAlternatives('resnet152', { electricityPrice: 0.3, currency: 'USD', inferencesPerDay: 1e6 })!
    .alternatives[0]!;
  assert.doesNotMatch(alternativeItem(mine, 'x', 'USD').description, /default price/);
  assert.match(alternativeItem(alt, 'x', 'USD').description, /grade [A-G] \(RTX 3090\)/);
});
