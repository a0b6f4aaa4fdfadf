/** The side bar's pure parts on a real report (buildReport over the recorded example inputs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../src/report/build';
import type { Report, ReportModel } from '../../src/report/types';
import {
  amountText,
  headline,
  modelLine,
  nothingWorthIt,
  overviewModelId,
  worthActingOn,
  TOP_RECOMMENDATIONS,
} from '../../src/webview/overview/view';
import { detailRows, groupByFile, isUnreadable, modelRow } from '../../src/vscode/sidebar/rows';
import { recordedInputs } from '../fixtures/report/recorded';

const ONNX = 'onnx:models/fashion_mlp.onnx';
const reports = new Map<number, Promise<Report>>();
function report(inferencesPerDay = 10_000): Promise<Report> {
  if (!reports.has(inferencesPerDay))
    reports.set(inferencesPerDay, recordedInputs({ inferencesPerDay }).then(buildReport));
  return reports.get(inferencesPerDay)!;
}

const sum = (r: Report, k: 'energy' | 'co2' | 'cost'): number =>
  r.models.reduce((s, m) => s + (m.yearly?.[k].value ?? 0), 0);

void test('the headline sums the yearly energy, CO2 and cost of every model and names its basis', async () => {
  const r = await report();
  const h = headline(r);
  assert.deepEqual(
    h.figures.map((f) => f.label),
    ['Energy per year', 'CO2 per year', 'Cost per year'],
  );
  const value = (i: number): number => Number(h.figures[i]!.value.replace(/^≈ /, '').split(' ')[0]!.replace(/,/g, ''));
  assert.ok(
    Math.abs(value(0) - sum(r, 'energy')) / sum(r, 'energy') < 0.01,
    `${h.figures[0]!.value} vs ${sum(r, 'energy')}`,
  );
  assert.ok(Math.abs(value(1) - sum(r, 'co2')) / sum(r, 'co2') < 0.01);
  assert.ok(Math.abs(value(2) - sum(r, 'cost')) / sum(r, 'cost') < 0.01);
  assert.match(h.figures[2]!.value, / USD$/);
  for (const f of h.figures)
    assert.match(f.detail, /^estimated: sum over \d+ models at the assumed workload; band [\d.,]+ \S+ – [\d.,]+ \S+/);
  assert.equal(h.basis, 'at 10,000 inferences a day, served on this machine (the one that measured; default)');
  assert.equal(h.text, `${h.figures.map((f) => f.value).join(' · ')} per year`);
});

void test('the headline names the deployment target and scales with the workload', async () => {
  const r = buildReport(await recordedInputs({ deploymentTarget: 'rtx4090' }));
  assert.match(headline(r).basis, /^at 10,000 inferences a day, served on .*RTX 4090/);
  const big = await report(1e9);
  assert.ok(sum(big, 'energy') > 1e4 * sum(await report(), 'energy'));
  assert.match(headline(big).basis, /^at 1,000,000,000 inferences a day/, 'a workload reads in full, not as 1.00e+9');
  for (const f of headline(big).figures) assert.doesNotMatch(f.value, /e\+/, `${f.label}: ${f.value}`);
});

void test('yearly amounts take the unit that keeps them short', () => {
  assert.equal(amountText(14.8, 'kWh'), '14.8 kWh');
  assert.equal(amountText(1_480_000, 'kWh'), '1.48 GWh');
  assert.equal(amountText(702_000, 'kgCO2e'), '702 tCO2e');
  assert.equal(amountText(0.5, 'kgCO2e'), '500 gCO2e');
  assert.equal(amountText(8.26e-4, 'kWh'), '0.826 Wh');
  assert.equal(amountText(2.21, 'USD'), '2.21 USD');
  assert.equal(amountText(22_200_000, 'EUR'), '22.2 M EUR');
  assert.equal(amountText(15_000, 'USD'), '15 k USD');
  assert.equal(amountText(Number.NaN, 'kWh'), 'n/a');
});

void test('only quantified recommendations that pay back are worth acting on, at most three, in the report order', async () => {
  const small = await report();
  assert.deepEqual(worthActingOn(small), [], 'nothing pays back at 10,000 inferences a day');
  assert.match(
    nothingWorthIt(small),
    /^None pays back its change at 10,000 inferences a day; the full report lists \d+ other options\.$/,
  );
  const big = await report(1e9);
  const top = worthActingOn(big);
  assert.ok(top.length > 0 && top.length <= TOP_RECOMMENDATIONS, `${top.length} shown`);
  for (const r of top) {
    assert.equal(r.verdict, 'worth-it');
    assert.equal(r.unquantified, undefined);
  }
  const order = big.recommendations.filter((r) => top.includes(r));
  assert.deepEqual(top, order);
  assert.equal(
    nothingWorthIt({ ...small, recommendations: [] }),
    'No recommendation: nothing measured or catalogued here saves energy within your accuracy tolerance.',
  );
});

void test('the model shown is the one asked for, else the profiled one', async () => {
  const r = await report();
  const site = r.models.find((m) => m.kind === 'python-site' && m.name === 'resnet152')!;
  assert.equal(overviewModelId(r, site.id), site.id);
  assert.equal(overviewModelId(r), ONNX);
  assert.equal(overviewModelId(r, 'py:nowhere.py:1'), ONNX);
  assert.match(modelLine(site), /^≈ [\d.]+ J\/inf · grade D · ≈ [\d.]+ kWh\/yr$/);
  assert.match(modelLine(r.models.find((m) => m.id === ONNX)!), /\/inf · ≈ [\d.]+ k?Wh\/yr · profiled$/);
});

void test('the Models tree groups every model by file, in path and line order', async () => {
  const r = await report();
  const groups = groupByFile(r);
  assert.deepEqual(
    groups.map((g) => g.file),
    [...new Set(r.models.map((m) => m.file))].sort((a, b) => a.localeCompare(b)),
  );
  assert.equal(
    groups.reduce((n, g) => n + g.models.length, 0),
    r.models.length,
  );
  for (const g of groups) {
    const lines = g.models.map((m) => m.line ?? 0);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
  }
  assert.ok(groups.some((g) => g.file === 'models/fashion_mlp.onnx'));
  assert.ok(groups.some((g) => g.file === 'infer_resnet.py'));
});

void test('a model row carries its figures and grade; its children carry size, energy, year, grade and findings', async () => {
  const r = await report();
  const resnet = r.models.find((m) => m.name === 'resnet152')!;
  const row = modelRow(resnet);
  assert.equal(row.label, `resnet152  :${resnet.line}`);
  assert.match(row.description, /grade D/);
  const children = detailRows(resnet);
  assert.deepEqual(
    children.slice(0, 4).map((c) => c.label),
    ['Size', 'Energy per inference', 'Per year', 'Grade'],
  );
  assert.equal(children[0]!.description, '11.6 GMACs');
  assert.match(children[1]!.description!, /^≈ [\d.]+ J · estimated · ±\d+ %$/);
  assert.match(children[3]!.description!, /^D on RTX 3090/);
  const findings = children.filter((c) => /^GL\d{3} /.test(c.label));
  assert.equal(findings.length, resnet.findings.length);
  assert.ok(findings.length > 0);
  for (const f of findings) assert.deepEqual(f.open?.file, 'infer_resnet.py');
  const onnx = detailRows(r.models.find((m) => m.id === ONNX)!);
  assert.match(onnx.find((c) => c.label === 'Size')!.description!, /^0\.235 M params · /);
  assert.match(onnx.find((c) => c.label === 'Profile')!.description!, /^\d+ of \d+ variants measured on this machine$/);
});

void test("an unreadable ONNX file is a row saying so, with the reader's error in its tooltip", () => {
  const m: ReportModel = {
    id: 'onnx:bad.onnx',
    kind: 'onnx',
    name: 'bad.onnx',
    file: 'bad.onnx',
    findings: [],
    notes: ['Unreadable: more than 300,000 nodes (reader limit "nodes")'],
  };
  assert.ok(isUnreadable(m));
  assert.deepEqual(modelRow(m), {
    label: 'bad.onnx',
    description: 'unreadable',
    tooltip: 'bad.onnx\nmore than 300,000 nodes (reader limit "nodes")',
  });
  assert.deepEqual(
    detailRows(m).map((d) => d.icon),
    ['error'],
  );
});
