/** The Overview's messages: exactly the protocol's, both ways; settings it writes are checked on the way in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SETTING_RANGES } from '../../src/settings';
import { MAX_REPORT_STRING } from '../../src/webviewProtocol/guards';
import { isOnnxViewerToHost } from '../../src/webviewProtocol/onnxViewer';
import { isHostToOverview, isOverviewToHost } from '../../src/webviewProtocol/overview';
import { buildReport } from '../../src/report/build';
import { recordedInputs } from '../fixtures/report/recorded';

void test('the Overview may send exactly the messages of its protocol', () => {
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'chooseHardware' },
    { type: 'rendered', modelId: 'onnx:m.onnx', recommendations: 2, charts: 1, headline: '≈ 14 kWh per year' },
    { type: 'selectModel', modelId: 'py:a.py:3' },
    { type: 'openReport' },
    { type: 'openReport', modelId: 'py:a.py:3' },
    { type: 'setWorkload', inferencesPerDay: 0 },
    { type: 'setWorkload', inferencesPerDay: 1e9 },
    { type: 'setRegion', region: '' },
    { type: 'setRegion', region: 'FRA' },
    { type: 'setRegion', region: 'aws:us-east-1' },
    { type: 'setRegion', region: 'gcp:europe-west1' },
    { type: 'runAction', recommendationId: 'r', action: 'openRule' },
    { type: 'openFile', file: 'a.py', line: 3 },
  ];
  for (const m of good) assert.equal(isOverviewToHost(m), true, JSON.stringify(m));
});

void test('malformed messages and out-of-range settings from the Overview are rejected', () => {
  const huge = 'x'.repeat(MAX_REPORT_STRING + 1);
  const bad: unknown[] = [
    null,
    'ready',
    [],
    {},
    { type: 'ready', extra: 1 },
    { type: 'chooseHardware', name: 'RTX 3090' },
    { type: 'selectModel' },
    { type: 'selectModel', modelId: '' },
    { type: 'selectModel', modelId: huge },
    { type: 'openReport', modelId: 3 },
    { type: 'openReport', file: 'a.py' },
    { type: 'setWorkload', inferencesPerDay: -1 },
    { type: 'setWorkload', inferencesPerDay: 1e13 },
    { type: 'setWorkload', inferencesPerDay: Number.NaN },
    { type: 'setWorkload', inferencesPerDay: '1000' },
    { type: 'setWorkload' },
    { type: 'setRegion', region: 'France' },
    { type: 'setRegion', region: 'FR' },
    { type: 'setRegion', region: 'aws:us east' },
    { type: 'setRegion', region: 7 },
    { type: 'runAction', recommendationId: 'r', action: 'deleteFiles' },
    { type: 'openFile', file: 'a.py', line: 0 },
    { type: 'exportReport', format: 'html' },
    { type: 'requestProfile', modelId: 'm' },
    { type: 'rendered', modelId: 'm', recommendations: -1, charts: 0, headline: '' },
  ];
  for (const m of bad) assert.equal(isOverviewToHost(m), false, JSON.stringify(m));
});

void test('the host sends the Overview a valid report with its controls, or a status', async () => {
  const report = buildReport(await recordedInputs());
  const controls = {
    inferencesPerDay: 10_000,
    carbonRegion: '',
    hardwareProfile: 'auto',
    hardwareName: 'Intel Core i7',
  };
  assert.equal(isHostToOverview({ type: 'showOverview', report, controls, canAct: true }), true);
  assert.equal(
    isHostToOverview({ type: 'showOverview', report, controls, canAct: false, modelId: report.models[0]!.id }),
    true,
  );
  assert.equal(isHostToOverview({ type: 'focusModel', modelId: 'x' }), true);
  assert.equal(isHostToOverview({ type: 'busy', message: 'Analyzing…' }), true);
  assert.equal(isHostToOverview({ type: 'error', message: 'failed' }), true);
  assert.equal(isHostToOverview({ type: 'showOverview', report, canAct: true }), false, 'controls are required');
  assert.equal(
    isHostToOverview({
      type: 'showOverview',
      report,
      controls: { ...controls, inferencesPerDay: Number.POSITIVE_INFINITY },
      canAct: true,
    }),
    false,
  );
  assert.equal(
    isHostToOverview({ type: 'showOverview', report: { ...report, models: 'none' }, controls, canAct: true }),
    false,
  );
  assert.equal(
    isHostToOverview({ type: 'showReport', report, canAct: true }),
    false,
    "the report page's message is not the Overview's",
  );
});

void test('the values the webviews may write are checked by the settings’ own ranges and patterns', () => {
  const maxWorkload = SETTING_RANGES.inferencesPerDay.max;
  assert.ok(isOverviewToHost({ type: 'setWorkload', inferencesPerDay: maxWorkload }));
  assert.ok(!isOverviewToHost({ type: 'setWorkload', inferencesPerDay: maxWorkload * 10 }));
  assert.ok(isOverviewToHost({ type: 'setRegion', region: 'aws:us-east-1' }));
  assert.ok(isOverviewToHost({ type: 'setRegion', region: '' }));
  assert.ok(!isOverviewToHost({ type: 'setRegion', region: 'Fr' }));
  assert.ok(!isOverviewToHost({ type: 'setRegion', region: `aws:${'a'.repeat(200)}` }));
  const maxBatch = SETTING_RANGES.onnxBatchSize.max;
  assert.ok(isOnnxViewerToHost({ type: 'setBatch', batch: maxBatch }));
  assert.ok(!isOnnxViewerToHost({ type: 'setBatch', batch: maxBatch + 1 }));
  assert.ok(!isOnnxViewerToHost({ type: 'setBatch', batch: 1.5 }));
});
