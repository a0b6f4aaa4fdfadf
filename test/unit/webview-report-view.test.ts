/** The report page's view model on a real report (buildReport over the recorded example inputs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEstimate } from '../../src/energy/quantity';
import { buildReport } from '../../src/report/build';
import type { Report, TradeoffPoint } from '../../src/report/types';
import {
  barsFor,
  breakEvenText,
  defaultModelId,
  energyText,
  frontierLine,
  logRange,
  logTick,
  nextSort,
  pointsOf,
  provenanceBadge,
  qualityAxisTitle,
  qualityRange,
  sortRows,
  wrapText,
  tableRows,
  toJoules,
} from '../../src/webview/report/view';
import { recordedInputs } from '../fixtures/report/recorded';

const ONNX = 'onnx:models/fashion_mlp.onnx';
let cached: Promise<Report> | undefined;
const report = () => (cached ??= recordedInputs().then(buildReport));

void test('the page opens on the profiled model unless another is asked for', async () => {
  const r = await report();
  assert.equal(defaultModelId(r), ONNX);
  const site = r.models.find((m) => m.kind === 'python-site')!;
  assert.equal(defaultModelId(r, site.id), site.id);
  assert.equal(defaultModelId(r, 'no-such-model'), ONNX);
});

void test('the table has one row per point with every metric, and sorts by the figures, not the text', async () => {
  const r = await report();
  const rows = tableRows(pointsOf(r, ONNX));
  assert.equal(rows.length, 6, 'baseline and five measured variants');
  for (const row of rows) {
    assert.ok(row.cells.latency.text.includes('ms ('), 'latency with its 95 % CI');
    assert.match(row.cells.quality.text, /^\d+(\.\d+)? % accuracy$/);
    assert.match(row.cells.energy.text, /^≈ \d.* [µm]?J \(/, 'estimated energy says ≈ and shows its band');
  }
  const byEnergy = sortRows(rows, { key: 'energy', dir: 'ascending' }).map((x) => x.cells.energy.sort as number);
  assert.deepEqual(
    byEnergy,
    [...byEnergy].sort((a, b) => a - b),
  );
  const byLatencyDesc = sortRows(rows, { key: 'latency', dir: 'descending' }).map(
    (x) => x.cells.latency.sort as number,
  );
  assert.deepEqual(
    byLatencyDesc,
    [...byLatencyDesc].sort((a, b) => b - a),
  );
  const byName = sortRows(rows, { key: 'name', dir: 'ascending' }).map((x) => x.point.label.toLowerCase());
  assert.deepEqual(
    byName,
    [...byName].sort((a, b) => a.localeCompare(b)),
  );
});

void test('rows without a figure sort last in both directions, ties keep their order', async () => {
  const r = await report();
  const site = r.models.find((m) => m.kind === 'python-site' && pointsOf(r, m.id).length > 1)!;
  const rows = tableRows([...pointsOf(r, ONNX).slice(0, 2), ...pointsOf(r, site.id).slice(0, 2)]);
  for (const dir of ['ascending', 'descending'] as const) {
    const sorted = sortRows(rows, { key: 'latency', dir });
    assert.deepEqual(
      sorted.slice(2).map((x) => x.cells.latency.sort),
      [undefined, undefined],
      dir,
    );
    assert.deepEqual(
      sorted.slice(2).map((x) => x.point.label),
      rows.slice(2).map((x) => x.point.label),
      'catalog rows keep their order',
    );
  }
  assert.deepEqual(nextSort({ key: 'energy', dir: 'ascending' }, 'energy'), { key: 'energy', dir: 'descending' });
  assert.deepEqual(nextSort({ key: 'energy', dir: 'descending' }, 'cost'), { key: 'cost', dir: 'ascending' });
});

void test('the frontier line climbs from the frugal end and holds only frontier points', async () => {
  const r = await report();
  for (const m of r.models) {
    const points = pointsOf(r, m.id);
    const line = frontierLine(points);
    assert.equal(line.length, points.filter((p) => p.onFrontier && p.quality).length, m.id);
    for (let i = 1; i < line.length; i++) {
      assert.ok(line[i]!.x >= line[i - 1]!.x, `${m.id}: energy increases along the line`);
      assert.ok(line[i]!.y >= line[i - 1]!.y, `${m.id}: on a frontier more energy buys more quality`);
    }
  }
  const site = r.models.find((m) => m.kind === 'python-site' && frontierLine(pointsOf(r, m.id)).length > 1);
  assert.ok(site, 'a catalog model has a frontier of several points');
});

void test('labels say which quality measure the chart shows', async () => {
  const r = await report();
  assert.equal(qualityAxisTitle(pointsOf(r, ONNX)), 'Accuracy on your labelled data (%)');
  const site = r.models.find((m) => m.catalog)!;
  assert.equal(qualityAxisTitle(pointsOf(r, site.id)), 'ImageNet top-1 (%)');
  const agreement: TradeoffPoint = {
    ...pointsOf(r, ONNX)[0]!,
    quality: { value: 99, metric: 'agreement', source: 'random inputs' },
  };
  assert.equal(qualityAxisTitle([agreement]), 'Agreement with the baseline (%)');
});

void test('badges say measured or estimated, by what, and how sure', () => {
  const est = makeEstimate(0.002, 'J', {
    low: 0.001,
    high: 0.004,
    method: 'TDP × CPU-time share',
    sources: ['CodeCarbon'],
  });
  const b = provenanceBadge(est, 'estimate:cpu-time');
  assert.equal(b.kind, 'estimated');
  assert.equal(b.label, 'estimated · ±100 %');
  assert.match(b.detail, /^Estimated by TDP × CPU-time share; band 0.001–0.004 J\. Sources: CodeCarbon\.$/);
  const measured = makeEstimate(0.002, 'J', {
    low: 0.0019,
    high: 0.0021,
    provenance: 'measured',
    method: 'RAPL energy counters',
  });
  assert.match(provenanceBadge(measured, 'rapl:package-0').detail, /^Measured by rapl:package-0;/);
  assert.equal(energyText(est), '≈ 2 mJ');
  assert.equal(energyText(measured), '2 mJ');
  assert.equal(toJoules(1, 'kWh'), 3.6e6);
  assert.ok(Number.isNaN(toJoules(1, 'USD')));
});

void test("bar charts take their whiskers from each figure's band or CI, in one readable unit", async () => {
  const r = await report();
  const points = pointsOf(r, ONNX);
  const latency = barsFor(points, 'latency');
  assert.equal(latency.unit, 'ms');
  assert.equal(latency.bars.length, 6);
  for (const b of latency.bars) assert.ok(b.yMin <= b.y && b.y <= b.yMax);
  const energy = barsFor(points, 'energy');
  assert.equal(energy.unit, 'mJ', 'about a millijoule per inference');
  assert.ok(energy.bars.every((b) => b.y > 0.1 && b.y < 10 && b.yMin <= b.y && b.y <= b.yMax));
  assert.equal(barsFor(points, 'cost').unit, 'USD per year');
  const site = r.models.find((m) => m.catalog)!;
  assert.equal(barsFor(pointsOf(r, site.id), 'latency').bars.length, 0, 'catalog figures have no measured latency');
});

void test('break-even and the log axis read as people write them', () => {
  assert.equal(breakEvenText({ worthIt: false, message: 'never' }), 'never');
  assert.equal(
    breakEvenText({ worthIt: true, days: makeEstimate(12.4, 'days', { method: 'm' }), message: '' }),
    '≈ 12 days',
  );
  assert.equal(
    breakEvenText({ worthIt: true, days: makeEstimate(1100, 'days', { method: 'm' }), message: '' }),
    '≈ 3 years',
  );
  assert.equal(
    breakEvenText({ worthIt: true, days: makeEstimate(0.2, 'days', { method: 'm' }), message: '' }),
    '< 1 day',
  );
  assert.equal(logTick(0.001), '1 mJ');
  assert.equal(logTick(0.002), '2 mJ');
  assert.equal(logTick(0.0011), '');
  assert.equal(logTick(0), '');
  const range = logRange([
    { energyPerInference: makeEstimate(0.001, 'J', { method: 'm' }) },
    { energyPerInference: makeEstimate(0.0012, 'J', { method: 'm' }) },
  ] as TradeoffPoint[]);
  assert.ok(
    range.min! < 0.001 && range.max! > 0.0012 && range.max! / range.min! >= 9.99,
    'at least a decade, points inside',
  );
});

void test('the quality axis never runs above 100 % and is at least a point wide', async () => {
  const r = await report();
  const flat = pointsOf(r, ONNX).map((p) => ({
    ...p,
    quality: { value: 100, metric: 'agreement' as const, source: 'random inputs' },
  }));
  assert.deepEqual(qualityRange(flat), { min: 99, max: 100 });
  const measured = qualityRange(pointsOf(r, ONNX));
  const ys = pointsOf(r, ONNX).map((p) => p.quality!.value);
  assert.ok(measured.min! < Math.min(...ys) && measured.max! > Math.max(...ys) && measured.max! <= 100);
  assert.deepEqual(qualityRange([]), {});
});

void test('long tooltip lines wrap at spaces', () => {
  assert.deepEqual(wrapText('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  assert.deepEqual(wrapText('a-very-long-word x', 5), ['a-very-long-word', 'x']);
  assert.deepEqual(wrapText(''), []);
  const lines = wrapText(
    'Estimated by MACs × Intel Core i7-12700H calibration; band 2.05–10.6 J. Sources: timm ImageNet results and benchmarks, results/*.csv (huggingface/pytorch-image-models, Apache-2.0)',
  );
  assert.ok(lines.length > 1 && lines.every((l) => l.length <= 90));
});
