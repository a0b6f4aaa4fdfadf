/**
 * Counts read with an SI prefix everywhere (235 k MACs, never 0.0002 GMACs), and the .onnx viewer's
 * energy, cost and grade are the report's own figures for the file.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { inspectOnnxFile } from '../../src/analyzers/onnx/index';
import { si } from '../../src/analyzers/onnx/format';
import { onnxOneLine, onnxView } from '../../src/analyzers/onnx/view';
import { formatCount } from '../../src/energy/quantity';
import { buildReport } from '../../src/report/build';
import { energyText, withBand } from '../../src/report/export/format';
import { modelEnergy, modelFigures, NOT_GRADED } from '../../src/report/modelFigures';
import { isHostToOnnxViewer } from '../../src/webviewProtocol/onnxViewer';
import { recordedInputs, repo } from '../fixtures/report/recorded';

const MLP = path.join(repo, 'examples', 'models', 'fashion_mlp.onnx');
// 784-256-128-10 MLP: one MAC per weight of its three Linear layers.
const MLP_MACS = 784 * 256 + 256 * 128 + 128 * 10;

void test('counts take an SI prefix and three significant digits', () => {
  assert.equal(formatCount(235_146, 'MACs'), '235 k MACs');
  assert.equal(formatCount(1.814e9, 'MACs'), '1.81 G MACs');
  assert.equal(formatCount(11_689_512, 'params'), '11.7 M params');
  assert.equal(formatCount(3.2e12, 'FLOPs'), '3.2 T FLOPs');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(1000), '1 k');
  assert.equal(formatCount(42.4, 'MACs'), '42 MACs');
  assert.equal(formatCount(0, 'MACs'), '0 MACs');
  assert.equal(formatCount(Number.NaN), 'n/a');
  assert.equal(si, formatCount, 'the CLI inspect output uses the same function');
});

void test("the .onnx viewer and the Models view write a small model's compute in k MACs", () => {
  const s = inspectOnnxFile(MLP);
  assert.equal(s.cost.macs, MLP_MACS);
  const view = onnxView(s, 'fashion_mlp.onnx');
  const compute = view.headline.find((r) => r.label === 'Compute')!;
  assert.equal(compute.value, '235 k MACs per inference');
  assert.ok(
    view.topNodes.every((n) => /^\d+(\.\d+)?( [kMGT])?$/.test(n.macs)),
    view.topNodes.map((n) => n.macs).join(', '),
  );
  assert.equal(onnxOneLine(s), '235 k params · 235 k MACs');
  assert.doesNotMatch(JSON.stringify(view), /GMACs|0\.000\d/);
});

void test("the viewer's energy, cost and grade are the report's figures for the file", async () => {
  const report = buildReport(await recordedInputs());
  const id = 'onnx:models/fashion_mlp.onnx';
  const m = report.models.find((x) => x.id === id)!;
  const rows = modelFigures(report, id);
  const value = (label: string) => rows.find((r) => r.label === label)?.value;
  assert.deepEqual(
    rows.map((r) => r.label),
    ['Energy per inference', 'Energy per year', 'Cost per year', 'CO2e per year', 'Grade'],
  );
  // The measured baseline beats the MAC count, as in the report's model table.
  assert.equal(modelEnergy(m), m.profile!.variants.find((v) => v.kind === 'baseline')!.energy!.perInference);
  assert.equal(value('Energy per inference'), energyText(modelEnergy(m)!));
  assert.equal(value('Energy per year'), withBand(m.yearly!.energy));
  assert.equal(value('Cost per year'), withBand(m.yearly!.cost));
  assert.match(value('Cost per year')!, /USD/);
  assert.equal(value('Grade'), 'not graded');
  assert.equal(rows.find((r) => r.label === 'Grade')!.source, NOT_GRADED);
  assert.match(rows.find((r) => r.label === 'Energy per year')!.source!, /^at 10,000 inferences a day/);
  // A catalog model has the catalog's grade label.
  const site = report.models.find((x) => x.catalog)!;
  assert.equal(
    modelFigures(report, site.id).find((r) => r.label === 'Grade')!.value,
    site.catalog!.gradeLabel ?? site.catalog!.grade,
  );
  assert.deepEqual(modelFigures(report, 'no such model'), []);
  // Unprofiled, the file's energy is the MAC-count estimate the report gives it.
  const inputs = await recordedInputs();
  inputs.profiles = {};
  const plain = buildReport(inputs);
  const e = modelFigures(plain, id)[0]!;
  assert.equal(e.value, energyText(plain.models.find((x) => x.id === id)!.static!.energyPerInference!));
  assert.match(e.source!, /^estimated: .*MACs.* for /);
  const view = { ...onnxView(inspectOnnxFile(MLP), 'fashion_mlp.onnx'), figures: rows };
  assert.ok(isHostToOnnxViewer({ type: 'show', view, canProfile: true, batch: 1 }));
});
