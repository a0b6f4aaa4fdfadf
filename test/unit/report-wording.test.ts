/**
 * The report's words and groups: plurals, durations in days, months or years, break-even sentences, the
 * two groups of recommendations, weights of one architecture merged, and no suggestion for a GPU that the
 * hardware does not have. Checked on the pure functions and on reports built from the recorded inputs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuDevice } from '../../src/energy/hardware';
import { makeEstimate } from '../../src/energy/quantity';
import { breakEven } from '../../src/energy/workload';
import { buildReport } from '../../src/report/build';
import { exportMarkdown } from '../../src/report/export/markdown';
import {
  alternativeTitle,
  groupRecommendations,
  mergeWeightVariants,
  needsAbsentGpu,
  splitWeights,
} from '../../src/report/grouping';
import type { ReportRecommendation } from '../../src/report/types';
import { breakEvenOf } from '../../src/report/verdict';
import {
  amountText,
  breakEvenLine,
  breakEvenSentence,
  breakEvenText,
  countText,
  durationText,
  plural,
} from '../../src/report/wording';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePythonFiles } from '../../src/analyzers/python/index';
import { recordedInputs, repo } from '../fixtures/report/recorded';

/** The recorded inputs plus a script that builds resnet18 with torchvision weights (V1 and V2 alternatives exist). */
async function withTorchvisionWeights(): Promise<ReturnType<typeof buildReport>> {
  const inputs = await recordedInputs({ inferencesPerDay: 1e9 });
  const file = path.join(repo, 'examples', 'classify_resnet18.py');
  const [a] = await analyzePythonFiles([file], { workers: 1 });
  inputs.python.push({ file: 'classify_resnet18.py', analysis: a!.analysis, source: readFileSync(file, 'utf8') });
  return buildReport(inputs);
}

const days = (d: number) => ({ worthIt: true as const, days: makeEstimate(d, 'days', { method: 'm' }), message: '' });

void test('counts take the singular only when they read as one', () => {
  assert.equal(countText(1, 'point'), '1 point');
  assert.equal(countText(-1, 'point'), '-1 point');
  assert.equal(countText(1.0004, 'point'), '1 point', 'reads as 1 after rounding to three digits');
  assert.equal(countText(0, 'point'), '0 points');
  assert.equal(countText(0.5, 'point'), '0.5 points');
  assert.equal(countText(2, 'model'), '2 models');
  assert.equal(plural(3, 'inference'), 'inferences');
  assert.equal(plural(1, 'child', 'children'), 'child');
  assert.equal(plural(2, 'child', 'children'), 'children');
});

void test('durations read as days, months or years, never hundreds of days', () => {
  assert.equal(durationText(0.3), 'less than a day');
  assert.equal(durationText(1), '1 day');
  assert.equal(durationText(12.4), '12 days');
  assert.equal(durationText(44), '44 days');
  assert.equal(durationText(45), '1 month');
  assert.equal(durationText(150), '5 months');
  assert.equal(durationText(365), '12 months');
  assert.equal(durationText(600), '1.6 years');
  assert.equal(durationText(1100), '3 years');
  assert.equal(durationText(6_229_634), '17,100 years');
  assert.equal(durationText(Number.NaN), 'n/a');
  assert.equal(durationText(-1), 'n/a');
  for (const d of [50, 100, 200, 400, 700, 1000, 5000, 1e6])
    assert.doesNotMatch(durationText(d), /\d{3,} days|\d+ days/, `${d} days`);
});

void test('break-even wording: short text and sentence', () => {
  assert.equal(breakEvenText({ worthIt: false, message: 'No.' }), 'never');
  assert.equal(breakEvenText(days(0.2)), '< 1 day');
  assert.equal(breakEvenText(days(12.4)), '≈ 12 days');
  assert.equal(breakEvenText(days(400)), '≈ 13 months');
  assert.equal(breakEvenText(days(577_501)), '≈ 1,580 years');
  assert.equal(breakEvenSentence(days(90)), 'Pays back in about 3 months.');
  assert.equal(
    breakEvenSentence({ ...days(2000), mayNever: true }),
    'Pays back in about 5.5 years; at the low end of the savings band, never.',
  );
  assert.equal(breakEvenLine(days(90)), '≈ 3 months');
  assert.equal(breakEvenLine({ ...days(90), mayNever: true }), '≈ 3 months, never at the low end of the savings band');
  assert.equal(breakEvenLine({ worthIt: false, message: 'It saves nothing.' }), 'never — It saves nothing.');
  // The energy layer's sentence counts days; the report's break-even says months and years.
  const raw = breakEven(1200, makeEstimate(0.07, 'USD', { method: 'm', low: 0, high: 0.2 }));
  assert.match(raw.message, /\d{4,} days/);
  const saved = makeEstimate(0.07, 'USD', { method: 'm', low: 0, high: 0.2 });
  const energy = makeEstimate(1, 'kWh', { method: 'm' });
  const be = breakEvenOf(1200, { energy, co2: makeEstimate(1, 'kgCO2e', { method: 'm' }), cost: saved });
  assert.equal(be.message, 'Pays back in about 17,100 years; at the low end of the savings band, never.');
});

void test('weights names split at the last dot', () => {
  assert.deepEqual(splitWeights('torchvision:mobilenet_v3_large.IMAGENET1K_V2'), {
    architecture: 'torchvision:mobilenet_v3_large',
    weights: 'IMAGENET1K_V2',
  });
  assert.deepEqual(splitWeights('resnet50.a1_in1k'), { architecture: 'resnet50', weights: 'a1_in1k' });
  assert.deepEqual(splitWeights('resnet50'), { architecture: 'resnet50' });
  assert.equal(
    alternativeTitle('mobilenet_v3_large', 'torchvision:mobilenet_v3_large.IMAGENET1K_V2', 'resnet18'),
    'Use mobilenet_v3_large (IMAGENET1K_V2 weights) instead of resnet18',
  );
  assert.equal(
    alternativeTitle('timm/levit_256.fb_dist_in1k', 'levit_256.fb_dist_in1k', 'vit'),
    'Use timm/levit_256.fb_dist_in1k instead of vit',
  );
  assert.equal(alternativeTitle(undefined, 'convnext_tiny', 'resnet50'), 'Use convnext_tiny instead of resnet50');
});

void test('weights of one architecture merge into the better one; trade-offs stay, order is kept', () => {
  const c = (name: string, energy: number, top1: number, imgSize = 224) => ({ name, energy, top1, imgSize });
  const v1 = c('tv:mnv3.IMAGENET1K_V1', 1, 74.0);
  const v2 = c('tv:mnv3.IMAGENET1K_V2', 1, 75.3);
  const other = c('tv:regnet.IMAGENET1K_V1', 0.9, 74.5);
  const big = c('tv:mnv3.IMAGENET1K_V1', 2, 76, 384);
  const { kept, merged } = mergeWeightVariants([v1, v2, other, big], (x) => x);
  assert.deepEqual(
    kept,
    [v2, other, big],
    'V1 is as costly and less accurate than V2; another size is another network',
  );
  assert.deepEqual(merged.get(v2), ['tv:mnv3.IMAGENET1K_V1']);
  // Two equal weights: the first stays.
  const a = c('x.A', 1, 70);
  const b = c('x.B', 1, 70);
  assert.deepEqual(mergeWeightVariants([a, b], (x) => x).kept, [a]);
  // A trade-off (cheaper but less accurate) keeps both.
  const cheap = c('y.A', 0.5, 70);
  const good = c('y.B', 1, 72);
  assert.deepEqual(mergeWeightVariants([good, cheap], (x) => x).kept, [good, cheap]);
});

void test('a fix for a GPU is dropped on a CPU only', () => {
  const edit = (newText: string) => ({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    newText,
  });
  assert.equal(needsAbsentGpu({ ruleId: 'GL003' }, 'cpu'), true);
  assert.equal(needsAbsentGpu({ ruleId: 'GL003' }, 'gpu'), false);
  assert.equal(
    needsAbsentGpu({ ruleId: 'GL001', fix: { title: 't', edits: [edit('with torch.inference_mode():')] } }, 'cpu'),
    false,
  );
  assert.equal(
    needsAbsentGpu({ ruleId: 'GL099', fix: { title: 't', edits: [edit('x = x.to("cuda")')] } }, 'cpu'),
    true,
  );
});

void test('recommendations come in two groups: quantified by savings, then unquantified hygiene', async () => {
  const report = buildReport(await recordedInputs({ inferencesPerDay: 1e9 }));
  const { quantified, alsoConsider } = groupRecommendations(report.recommendations);
  assert.ok(quantified.length > 0 && alsoConsider.length > 0);
  assert.equal(quantified.length + alsoConsider.length, report.recommendations.length);
  assert.ok(quantified.every((r) => !r.unquantified) && alsoConsider.every((r) => r.unquantified));
  assert.deepEqual(alsoConsider.map((r) => r.ruleId).sort(), ['GL001', 'GL002', 'GL006']);
  const worth = quantified.filter((r) => r.verdict !== 'not-worth-it');
  for (let i = 1; i < worth.length; i++)
    assert.ok(worth[i - 1]!.savings.energy.value >= worth[i]!.savings.energy.value, 'ranked by savings');
  const md = exportMarkdown(report);
  const also = md.indexOf('### Also consider');
  assert.ok(also > md.indexOf('| # | verdict |'), 'the table of quantified savings comes first');
  assert.match(md.slice(also), /inference\\?_mode/);
  assert.doesNotMatch(md, /\b1 points\b|\b\d{3,} days\b/);
});

void test('no two recommendations of one model read the same; V1 and V2 weights become one', async () => {
  const report = await withTorchvisionWeights();
  const mnv3 = report.recommendations.filter(
    (r) => r.modelId.startsWith('py:classify_resnet18.py') && /mobilenet_v3_large/.test(r.title),
  );
  assert.equal(mnv3.length, 1, 'one suggestion for mobilenet_v3_large');
  assert.match(mnv3[0]!.title, /^Use mobilenet_v3_large \(IMAGENET1K_V2 weights\) instead of resnet18$/);
  assert.ok(mnv3[0]!.evidence.some((e) => /other weights \(IMAGENET1K_V1\)/.test(e)));
  const seen = new Set<string>();
  for (const r of report.recommendations) {
    assert.ok(!seen.has(`${r.modelId}|${r.title}`), `duplicate: ${r.title}`);
    seen.add(`${r.modelId}|${r.title}`);
  }
  const byArch = new Map<string, ReportRecommendation[]>();
  for (const r of report.recommendations.filter((x) => x.kind === 'alternative-model')) {
    const name = r.id.split(':').slice(-2).join(':');
    const key = `${r.modelId}|${splitWeights(name).architecture}`;
    byArch.set(key, [...(byArch.get(key) ?? []), r]);
  }
  for (const [key, recs] of byArch) {
    if (recs.length < 2) continue;
    // Several weights of one architecture stay only as a trade-off: none is cheaper and more accurate.
    for (const a of recs)
      for (const b of recs)
        if (a !== b)
          assert.ok(
            !(
              a.savings.energy.value >= b.savings.energy.value &&
              (a.qualityDelta?.points ?? 0) >= (b.qualityDelta?.points ?? 0)
            ),
            key,
          );
  }
});

void test('on a GPU the autocast change is suggested', async () => {
  const inputs = await recordedInputs();
  inputs.hardware = { device: gpuDevice('NVIDIA GeForce RTX 3090')!, source: 'setting greenlens.hardware.profile' };
  const report = buildReport(inputs);
  assert.ok(report.recommendations.some((r) => r.ruleId === 'GL003'));
  assert.ok(report.models.every((m) => m.notes.every((n) => !/needs a GPU/.test(n))));
});

void test('a report of one model says "1 model" and "1 percentage point"', async () => {
  const inputs = await recordedInputs();
  inputs.python = [];
  const md = exportMarkdown(buildReport(inputs));
  assert.match(md, /; 1 model, 1 profiled\./);
  assert.match(md, /Accuracy tolerance: 1 percentage point of top-1/);
});

void test('the summary writes a large yearly energy with a unit prefix, never in exponent form', async () => {
  const report = buildReport(await recordedInputs({ inferencesPerDay: 1e12 }));
  assert.match(report.summary.text, /[kMGT]?Wh\/yr/);
  assert.doesNotMatch(report.summary.text, /e\+\d/);
  assert.equal(amountText(1_480_000, 'kWh'), '1.48 GWh');
});
