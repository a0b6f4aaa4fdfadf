/**
 * Unit tests of buildReport on recorded inputs: real analyses of the example scripts, the real summary of
 * the bundled ONNX model and profiles recorded on a real machine (test/fixtures/report/recorded.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { TextEdit } from '../../src/analyzers/python/types';
import type { Estimate } from '../../src/energy/quantity';
import { buildReport, DEFAULT_ONE_OFF_COST } from '../../src/report/build';
import { savedPerInference } from '../../src/report/recommendations';
import { statusBarText } from '../../src/report/summary';
import type { Report, ReportRecommendation, TradeoffPoint } from '../../src/report/types';
import { MARGINAL_AFTER_DAYS, NOT_WORTH_IT_AFTER_DAYS } from '../../src/report/verdict';
import { recordedInputs, recordedProfile, repo } from '../fixtures/report/recorded';

const ONNX_ID = 'onnx:models/fashion_mlp.onnx';

function isEstimate(x: unknown): x is Estimate {
  return typeof x === 'object' && x !== null && 'provenance' in x && 'method' in x && 'low' in x && 'high' in x;
}

/** Walks every value: numbers finite, estimates with a band around the value and a stated method. */
function checkNumbers(value: unknown, where: string): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => checkNumbers(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    if (isEstimate(value)) {
      assert.ok(
        value.low <= value.value && value.value <= value.high,
        `${where}: ${value.low} <= ${value.value} <= ${value.high}`,
      );
      assert.ok(value.method.length > 0, `${where} has a method`);
      assert.ok(value.provenance === 'measured' || value.provenance === 'estimated');
    }
    for (const [k, v] of Object.entries(value)) checkNumbers(v, `${where}.${k}`);
  }
}

function group(r: ReportRecommendation): number {
  return r.verdict === 'not-worth-it' ? 2 : r.unquantified ? 1 : 0;
}

function dominated(p: TradeoffPoint, all: TradeoffPoint[]): boolean {
  if (!p.quality) return false;
  return all.some(
    (q) =>
      q !== p &&
      q.modelId === p.modelId &&
      q.quality &&
      q.quality.metric === p.quality!.metric &&
      q.energyPerInference.value <= p.energyPerInference.value &&
      q.quality.value >= p.quality!.value &&
      (q.energyPerInference.value < p.energyPerInference.value || q.quality.value > p.quality!.value),
  );
}

/** Applies non-overlapping edits to a text, last first. */
function applyEdits(source: string, edits: TextEdit[]): string {
  const lines = source.split('\n');
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((s, x) => s + x.length + 1, 0) + c;
  return [...edits]
    .sort(
      (a, b) =>
        offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
    )
    .reduce(
      (text, e) =>
        text.slice(0, offset(e.range.start.line, e.range.start.character)) +
        e.newText +
        text.slice(offset(e.range.end.line, e.range.end.character)),
      source,
    );
}

/** Checks the stated verdict rules on every quantified recommendation. */
function checkVerdicts(report: Report): void {
  const tol = report.assumptions.accuracyTolerance;
  for (const r of report.recommendations.filter((x) => !x.unquantified)) {
    const e = r.savings.energy;
    const lossy = r.qualityDelta !== undefined && r.qualityDelta.points < -tol;
    const days = r.breakEven.worthIt ? r.breakEven.days.value : Infinity;
    let expected: ReportRecommendation['verdict'];
    if (!(e.value > 0) || lossy || (r.breakEven.worthIt && days > NOT_WORTH_IT_AFTER_DAYS)) expected = 'not-worth-it';
    else if (!r.breakEven.worthIt || days > MARGINAL_AFTER_DAYS || e.low <= 0) expected = 'marginal';
    else expected = 'worth-it';
    assert.equal(r.verdict, expected, `${r.id}: ${r.evidence[0]}`);
    assert.ok(
      r.evidence[0]!.toLowerCase().startsWith(expected.replace(/-/g, ' ')),
      `${r.id} explains its verdict: ${r.evidence[0]}`,
    );
    assert.ok(
      r.evidence.some((x) => x.startsWith('One-off cost assumed')),
      `${r.id} states its one-off cost`,
    );
  }
}

void test('the report joins the ONNX model, its profile, the Python sites and their findings', async () => {
  const report = buildReport(await recordedInputs());
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.generatedAt, '2026-01-01T00:00:00.000Z');
  const onnx = report.models.find((m) => m.id === ONNX_ID)!;
  assert.equal(onnx.static?.params, 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
  assert.ok(onnx.static!.gmacs! > 0 && onnx.static!.coverage === 1);
  assert.match(onnx.static!.energyPerInference!.method, /MACs ×/);
  assert.equal(onnx.profile?.modelSha256, recordedProfile().modelSha256);
  // A measurement beats a MAC count: the yearly figure comes from the measured baseline.
  const base = recordedProfile().variants[0]!.energy!.perInference;
  assert.equal(onnx.yearly!.energy.method, base.method);
  assert.ok(Math.abs(onnx.yearly!.energy.value - (base.value * 10_000 * 365) / 3.6e6) < 1e-12);
  // serve_onnx.py loads the bundled model: its finding joins that model instead of a separate site.
  assert.ok(onnx.notes.includes('Loaded by serve_onnx.py:5.'), onnx.notes.join(' | '));
  assert.deepEqual(
    onnx.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`),
    ['GL004@serve_onnx.py:10'],
  );
  assert.ok(!report.models.some((m) => m.file === 'serve_onnx.py'));
  const resnet = report.models.find((m) => m.id === 'py:infer_resnet.py:11')!;
  assert.equal(resnet.catalog?.name, 'torchvision:resnet152.IMAGENET1K_V2');
  assert.deepEqual(resnet.findings.map((f) => f.ruleId).sort(), ['GL001', 'GL002', 'GL003', 'GL010']);
  // Findings without a site (the DataLoader rules) belong to the model of their file.
  assert.ok(
    report.models.find((m) => m.id === 'py:train_classifier.py:15')!.findings.some((f) => f.ruleId === 'GL006'),
  );
  const bert = report.models.find((m) => m.name.startsWith('distilbert'))!;
  assert.equal(bert.yearly, undefined);
  assert.match(bert.notes.join(' '), /not in the catalog/);
  assert.equal(report.summary.models, report.models.length);
  assert.equal(report.summary.profiled, 1);
  assert.match(report.summary.text, /^≈ [\d.,]+ kWh\/yr · grade D \(RTX 3090\) · \d+ recommendations? worth it$/);
  // The status bar's short form: the count only when something is worth doing.
  const worth = report.recommendations.filter((r) => r.verdict === 'worth-it').length;
  const short = statusBarText(report);
  assert.match(
    short,
    worth ? /^≈ [\d.,]+ kWh\/yr · grade D \(RTX 3090\) · \d+ to act on$/ : /^≈ [\d.,]+ kWh\/yr · grade D \(RTX 3090\)$/,
  );
  assert.ok(short.length < report.summary.text.length);
  assert.equal(
    statusBarText({
      ...report,
      recommendations: report.recommendations.map((r) => ({ ...r, verdict: 'worth-it' as const })),
    }).endsWith(`· ${report.recommendations.length} to act on`),
    true,
  );
  assert.equal(
    statusBarText({ summary: { models: 0, profiled: 0, text: 'No models found' }, recommendations: [] }),
    'No models found',
  );
});

void test('the build is deterministic and every number is finite with a band and a method', async () => {
  const inputs = await recordedInputs();
  const a = buildReport(inputs);
  const b = buildReport(inputs);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  checkNumbers(a, 'report');
  checkNumbers(buildReport(await recordedInputs({ inferencesPerDay: 0 })), 'report at 0 inferences');
});

void test('measured points keep the profiler’s energy, quality is true accuracy, the frontier is Pareto', async () => {
  const report = buildReport(await recordedInputs());
  const pts = report.points.filter((p) => p.modelId === ONNX_ID);
  const profile = recordedProfile();
  assert.deepEqual(
    pts.map((p) => p.ref),
    profile.variants.map((v) => v.id),
  );
  assert.deepEqual(
    pts.map((p) => p.series),
    ['model', 'variant', 'variant', 'variant', 'variant', 'variant'],
  );
  for (const p of pts) {
    const v = profile.variants.find((x) => x.id === p.ref)!;
    assert.deepEqual(p.energyPerInference, v.energy!.perInference, `${p.ref} keeps its provenance`);
    assert.equal(p.quality?.metric, 'accuracy');
    assert.ok(
      Math.abs(p.quality!.value - (v.kind === 'baseline' ? v.accuracy!.accuracy! : v.accuracy!.accuracy!) * 100) < 1e-9,
    );
    assert.ok(p.latencyMs!.low <= p.latencyMs!.value && p.latencyMs!.value <= p.latencyMs!.high);
  }
  for (const p of report.points) assert.equal(p.onFrontier, !dominated(p, report.points), `${p.modelId} ${p.label}`);
  // Recorded figures: 50 % pruning is the cheapest and lost no accuracy, so it alone is on the frontier.
  assert.deepEqual(
    pts.filter((p) => p.onFrontier).map((p) => p.ref),
    ['prune-global:0.5'],
  );
  const alt = report.points.filter((p) => p.modelId === 'py:infer_resnet.py:11');
  assert.equal(alt[0]!.series, 'model');
  assert.ok(alt.slice(1).every((p) => p.series === 'alternative' && p.quality?.metric === 'imagenet-top1'));
  assert.ok(alt.slice(1).every((p) => p.energyPerInference.value < alt[0]!.energyPerInference.value));
});

void test('without labels, quality is top-1 agreement with the baseline', async () => {
  const inputs = await recordedInputs();
  const profile = recordedProfile();
  profile.inputs = { source: 'random', description: '32 random samples', labelled: false };
  for (const v of profile.variants) if (v.accuracy) delete v.accuracy.accuracy;
  inputs.profiles = { 'models/fashion_mlp.onnx': profile };
  const report = buildReport(inputs);
  const pts = report.points.filter((p) => p.modelId === ONNX_ID);
  assert.deepEqual(
    pts.map((p) => [p.ref, p.quality?.metric, p.quality && Math.round(p.quality.value * 10) / 10]),
    [
      ['baseline', 'agreement', 100],
      ['int8-dynamic', 'agreement', 99.7],
      ['int8-static', 'agreement', 99.9],
      ['fp16', 'agreement', 100],
      ['prune-global:0.5', 'agreement', 96],
      ['opt-all', 'agreement', 100],
    ],
  );
  const prune = report.recommendations.find((r) => r.id === `variant:${ONNX_ID}:prune-global:0.5`)!;
  assert.deepEqual(prune.qualityDelta, { points: -4, metric: 'agreement' });
  assert.equal(prune.verdict, 'not-worth-it');
  assert.match(prune.evidence[0]!, /loses 4 points of agreement/);
});

void test('at the default workload nothing pays back: verdicts say not worth it, with the reason', async () => {
  const report = buildReport(await recordedInputs());
  checkVerdicts(report);
  const quantified = report.recommendations.filter((r) => !r.unquantified);
  assert.ok(quantified.length >= 10);
  assert.ok(quantified.every((r) => r.verdict === 'not-worth-it'));
  const int8 = report.recommendations.find((r) => r.id === `variant:${ONNX_ID}:int8-dynamic`)!;
  assert.match(int8.evidence[0]!, /pays back only after about [\d.,e+]+ years/);
  assert.deepEqual(int8.action, {
    type: 'saveVariant',
    modelId: ONNX_ID,
    variantId: 'int8-dynamic',
    modelPath: recordedProfile().variants[1]!.modelPath,
  });
  assert.ok(Math.abs(int8.qualityDelta!.points - -0.2) < 1e-9 && int8.qualityDelta!.metric === 'accuracy');
  const cost = DEFAULT_ONE_OFF_COST.variantHours * DEFAULT_ONE_OFF_COST.hourlyRate;
  assert.ok(int8.breakEven.worthIt);
  if (int8.breakEven.worthIt)
    assert.ok(
      Math.abs(int8.breakEven.days.value - (cost / int8.savings.cost.value) * 365) / int8.breakEven.days.value < 1e-9,
    );
});

void test('a variant that measured slower than its baseline is not worth it', async () => {
  const report = buildReport(await recordedInputs({ inferencesPerDay: 1e10 }, 'loaded'));
  checkVerdicts(report);
  const variants = report.recommendations.filter((r) => r.kind === 'variant');
  assert.equal(variants.length, 3);
  for (const r of variants) {
    assert.ok(r.savings.energy.value < 0, `${r.id} saves ${r.savings.energy.value}`);
    assert.equal(r.verdict, 'not-worth-it');
    assert.match(r.evidence[0]!, /saves no energy/);
    assert.equal(r.breakEven.worthIt, false);
  }
});

void test('a tighter accuracy tolerance rules out the lossy int8 variant', async () => {
  const report = buildReport(await recordedInputs({ accuracyTolerance: 0.1, inferencesPerDay: 1e10 }));
  checkVerdicts(report);
  const int8 = report.recommendations.find((r) => r.id === `variant:${ONNX_ID}:int8-dynamic`)!;
  assert.equal(int8.verdict, 'not-worth-it');
  assert.match(int8.evidence[0]!, /loses 0\.2 points of accuracy, more than the accepted 0\.1/);
});

void test('at a large workload alternatives pay back; ranking is by group, then yearly energy saved', async () => {
  const report = buildReport(await recordedInputs({ inferencesPerDay: 1e9 }));
  checkVerdicts(report);
  const verdicts = new Set(report.recommendations.map((r) => r.verdict));
  assert.deepEqual([...verdicts].sort(), ['marginal', 'not-worth-it', 'worth-it']);
  const recs = report.recommendations;
  for (let i = 1; i < recs.length; i++) {
    const [a, b] = [recs[i - 1]!, recs[i]!];
    assert.ok(
      group(a) < group(b) || (group(a) === group(b) && a.savings.energy.value >= b.savings.energy.value),
      `${a.id} before ${b.id}`,
    );
  }
  assert.equal(new Set(recs.map((r) => r.id)).size, recs.length);
  const first = recs[0]!;
  assert.equal(first.verdict, 'worth-it');
  assert.equal(first.kind, 'alternative-model');
  assert.equal(first.ruleId, 'GL012');
  assert.match(first.breakEven.worthIt ? first.breakEven.message : '', /^Pays back in about \d+ days\.$/);
  assert.match(report.summary.text, /[1-9]\d* recommendations? worth it$/);
});

void test('alternative and code-change recommendations carry edits that apply to the real source', async () => {
  const report = buildReport(await recordedInputs());
  const source = readFileSync(path.join(repo, 'examples', 'infer_resnet.py'), 'utf8');
  const alt = report.recommendations.find(
    (r) => r.kind === 'alternative-model' && r.modelId === 'py:infer_resnet.py:11',
  )!;
  assert.equal(alt.action?.type, 'applyEdit');
  if (alt.action?.type !== 'applyEdit') return;
  const newName = /^Use (\S+)(?: \(\w+ weights\))? instead of resnet152$/.exec(alt.title)![1]!;
  const edited = applyEdits(source, alt.action.edits);
  assert.match(edited, new RegExp(`\\.${newName}\\(`));
  assert.doesNotMatch(edited, /resnet152\(/);
  const code = report.recommendations.filter((r) => r.kind === 'code-change');
  // The recorded machine is a CPU: the autocast("cuda") change (GL003) is not suggested, and the model says why.
  assert.deepEqual(code.map((r) => r.ruleId).sort(), ['GL001', 'GL002', 'GL006']);
  assert.ok(
    report.recommendations.every((r) => !/cuda/.test(r.title)),
    'no suggestion needs a GPU',
  );
  assert.ok(
    report.models.some((m) =>
      m.notes.some((n) => /^Not suggested: .*autocast.* \(GL003, infer_resnet\.py:24\) needs a GPU/.test(n)),
    ),
    'the model says why',
  );
  for (const r of code) {
    assert.equal(r.verdict, 'marginal');
    assert.ok(r.unquantified && r.savings.energy.value === 0 && !r.breakEven.worthIt);
    assert.equal(r.action?.type, 'applyEdit');
  }
  const inference = code.find((r) => r.ruleId === 'GL001')!;
  if (inference.action?.type === 'applyEdit')
    assert.match(applyEdits(source, inference.action.edits), /with torch\.inference_mode\(\):/);
});

void test('without the source text, alternatives are listed with no edit and say why', async () => {
  const inputs = await recordedInputs();
  inputs.python = inputs.python.map(({ source: _s, ...rest }) => rest);
  const report = buildReport(inputs);
  const alts = report.recommendations.filter((r) => r.kind === 'alternative-model');
  assert.ok(alts.length > 0 && alts.every((r) => r.action === undefined));
  assert.ok(alts.every((r) => r.evidence.some((e) => e.startsWith('No edit offered'))));
});

void test('unreadable files and bad settings become notes, never exceptions', async () => {
  const inputs = await recordedInputs({ electricityPrice: Number.NaN, carbonIntensity: 99_999 });
  inputs.onnx.push({ file: 'models/broken.onnx', error: 'not an ONNX model (bad protobuf)' });
  inputs.python.push({ file: 'bad.py', error: 'Not analyzed: 30.0 MB is over the size limit.' });
  const report = buildReport(inputs);
  const broken = report.models.find((m) => m.id === 'onnx:models/broken.onnx')!;
  assert.match(broken.notes[0]!, /Unreadable: not an ONNX model/);
  assert.equal(report.assumptions.electricity.perKWh, 0.15);
  assert.match(report.assumptions.electricity.source, /not a number/);
  assert.match(report.assumptions.carbonIntensity.method, /world average/);
  checkNumbers(report, 'report');
});

void test('yearly figures follow the deployment target and say which one they used', async () => {
  const here = buildReport(await recordedInputs());
  const gpu = buildReport(await recordedInputs({ deploymentTarget: 'rtx3090', deploymentBatch: 1024 }));
  assert.match(here.assumptions.deployment!.target, /this machine/);
  assert.match(gpu.assumptions.deployment!.target, /RTX 3090/);
  assert.match(gpu.assumptions.deployment!.method, /calibrated energy/);
  const yearly = (r: Report, id: string): Estimate => r.models.find((m) => m.id === id)!.yearly!.energy;
  const a = yearly(here, ONNX_ID);
  const b = yearly(gpu, ONNX_ID);
  assert.notEqual(a.value, b.value, 'the target changes the yearly energy');
  assert.ok(b.high / b.low > a.high / a.low, 'a scaled figure has a wider band');
  checkNumbers(gpu, 'report on the RTX 3090 target');
});

void test('a variant whose paired energy ratio holds 1 claims no saving; one below 1 saves the baseline energy × (1 − ratio)', async () => {
  const inputs = await recordedInputs({ inferencesPerDay: 1e9 });
  const profile = inputs.profiles!['models/fashion_mlp.onnx']!;
  const [base, int8] = [profile.variants[0]!, profile.variants[1]!];
  int8.energyRatio = { value: 0.97, low: 0.93, high: 1.02 };
  int8.speedup = { value: 1.02, low: 0.98, high: 1.06 };
  int8.verdict = 'no measurable difference';
  int8.resolution =
    "If the measured difference (2.0 %) is real, about 4.0 times this run's measuring time would tell it from noise.";
  profile.measurement = {
    method: 'interleaved',
    rounds: 120,
    blockTargetMs: 5,
    clockGranularityUs: 0.1,
    level: 0.95,
    wallMs: 20_000,
    notes: [],
  };
  const none = buildReport(inputs).recommendations.find((r) => r.id === `variant:${ONNX_ID}:int8-dynamic`)!;
  assert.equal(none.savings.energy.value, 0, 'no saving claimed');
  assert.ok(
    none.savings.energy.low < 0 && none.savings.energy.high > 0,
    'the band says how far either way the truth could be',
  );
  assert.equal(none.verdict, 'not-worth-it');
  assert.match(
    none.evidence[0]!,
    /no measurable difference in energy from the baseline \(energy ratio 0\.97 \(0\.93–1\.02\)/,
  );
  assert.ok(
    none.evidence.some((e) =>
      /Speed-up 1\.02 \(0\.98–1\.06\)× \(95 % interval over 120 interleaved rounds\): no measurable difference/.test(e),
    ),
  );
  assert.ok(none.evidence.some((e) => /4\.0 times this run's measuring time/.test(e)));
  int8.energyRatio = { value: 0.6, low: 0.55, high: 0.66 };
  const real = buildReport(inputs).recommendations.find((r) => r.id === `variant:${ONNX_ID}:int8-dynamic`)!;
  assert.ok(real.savings.energy.value > 0 && real.savings.energy.low > 0);
  assert.doesNotMatch(real.evidence[0]!, /no measurable difference/);
  const saved = savedPerInference(base, int8)!;
  assert.ok(Math.abs(saved.value - base.energy!.perInference.value * 0.4) < 1e-15);
  assert.match(saved.notes.join(' '), /interleaved with the baseline/);
});

void test('a reading or ratio that is not a finite number supports no saving, and the report still builds', async () => {
  const inputs = await recordedInputs({ inferencesPerDay: 1e9 });
  const profile = inputs.profiles!['models/fashion_mlp.onnx']!;
  const [base, int8] = [profile.variants[0]!, profile.variants[1]!];
  int8.energyRatio = { value: 0.9, low: Number.NaN, high: 0.95 };
  assert.notEqual(
    savedPerInference(base, int8)?.value,
    undefined,
    'a ratio without a finite end falls back to the medians',
  );
  int8.energy = { ...int8.energy!, perInference: { ...int8.energy!.perInference, high: Number.NaN } };
  assert.equal(savedPerInference(base, int8), undefined);
  const report = buildReport(inputs);
  checkNumbers(report, 'report with an unusable reading');
  const variant = report.models.find((m) => m.id === ONNX_ID)!.profile!.variants[1]!;
  assert.equal(variant.energy, undefined);
  assert.match(variant.notes.join(' '), /not a finite number/);
});
