import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REPORT_STRING } from '../../src/webviewProtocol/guards';
import { isHostToReport, isReportToHost } from '../../src/webviewProtocol/report';
import { isReportShape } from '../../src/webviewProtocol/reportShape';
import { buildReport } from '../../src/report/build';
import { recordedInputs } from '../fixtures/report/recorded';

void test('the page may send exactly the messages of the protocol', () => {
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'runAction', recommendationId: 'variant:onnx:m.onnx:int8-dynamic', action: 'saveVariant' },
    { type: 'runAction', recommendationId: 'code:a.py:3:GL002', action: 'applyEdit' },
    { type: 'runAction', recommendationId: 'x', action: 'openRule' },
    { type: 'requestProfile', modelId: 'onnx:models/m.onnx' },
    { type: 'exportReport', format: 'html' },
    { type: 'exportReport', format: 'csv' },
    { type: 'openFile', file: 'a.py' },
    { type: 'openFile', file: 'a.py', line: 12 },
    { type: 'rendered', modelId: 'm', modelNames: ['a', '<b>'], tableRows: 3, charts: 5, activeElements: 0 },
  ];
  for (const m of good) assert.equal(isReportToHost(m), true, JSON.stringify(m));
});

void test('malformed, hostile and huge messages from the page are rejected', () => {
  const huge = 'x'.repeat(MAX_REPORT_STRING + 1);
  const bad: unknown[] = [
    null,
    undefined,
    0,
    'ready',
    [],
    [{ type: 'ready' }],
    {},
    { type: 'READY' },
    { type: 'ready', extra: true },
    JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
    { type: 'runAction' },
    { type: 'runAction', recommendationId: '', action: 'openRule' },
    { type: 'runAction', recommendationId: huge, action: 'openRule' },
    { type: 'runAction', recommendationId: 7, action: 'openRule' },
    { type: 'runAction', recommendationId: 'r', action: 'deleteFiles' },
    { type: 'runAction', recommendationId: 'r', action: 'applyEdit', edits: [{ newText: 'evil' }] },
    { type: 'runAction', action: { type: 'applyEdit', file: 'a.py', edits: [] } },
    { type: 'requestProfile', modelId: ['a'] },
    { type: 'requestProfile', modelId: huge },
    { type: 'exportReport', format: 'exe' },
    { type: 'exportReport', format: { toString: () => 'html' } },
    { type: 'exportReport' },
    { type: 'openFile' },
    { type: 'openFile', file: 'a.py', line: 0 },
    { type: 'openFile', file: 'a.py', line: 1.5 },
    { type: 'openFile', file: 'a.py', line: Number.NaN },
    { type: 'openFile', file: 'a.py', line: '3' },
    { type: 'openFile', file: 'a.py', line: 1e12 },
    { type: 'rendered', modelId: 'm', modelNames: 'a', tableRows: 3, charts: 5, activeElements: 0 },
    { type: 'rendered', modelId: 'm', modelNames: [], tableRows: -1, charts: 5, activeElements: 0 },
    { type: 'rendered', modelId: 'm', modelNames: Array(1001).fill('a'), tableRows: 1, charts: 5, activeElements: 0 },
  ];
  for (const m of bad) assert.equal(isReportToHost(m), false, JSON.stringify(m)?.slice(0, 120));
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});

void test('a message with a hundred thousand keys is rejected quickly', () => {
  const msg: Record<string, unknown> = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
  msg.type = 'ready';
  const t0 = performance.now();
  assert.equal(isReportToHost(msg), false);
  assert.ok(performance.now() - t0 < 500);
});

void test('the page accepts a real report and rejects broken ones before rendering', async () => {
  const report = buildReport(await recordedInputs());
  assert.equal(isReportShape(report), true);
  assert.equal(isHostToReport({ type: 'showReport', report, canAct: true }), true);
  assert.equal(isHostToReport({ type: 'showReport', report, canAct: 'yes' }), false);
  const broken = (f: (r: Record<string, unknown>) => void) => {
    const r = structuredClone(report) as unknown as Record<string, unknown>;
    f(r);
    return r;
  };
  assert.equal(
    isReportShape(
      broken((r) => {
        r.schemaVersion = 2;
      }),
    ),
    false,
  );
  assert.equal(
    isReportShape(
      broken((r) => {
        r.models = 'none';
      }),
    ),
    false,
  );
  assert.equal(
    isReportShape(
      broken((r) => {
        (r.points as Record<string, unknown>[])[0]!.energyPerInference = { value: 'NaN' };
      }),
    ),
    false,
  );
  assert.equal(
    isReportShape(
      broken((r) => {
        (r.points as Record<string, unknown>[])[0]!.series = 'evil';
      }),
    ),
    false,
  );
  assert.equal(
    isReportShape(
      broken((r) => {
        (r.recommendations as Record<string, unknown>[])[0]!.evidence = [{}];
      }),
    ),
    false,
  );
  assert.equal(
    isReportShape(
      broken((r) => {
        (r.summary as Record<string, unknown>).text = 3;
      }),
    ),
    false,
  );
  assert.equal(isHostToReport({ type: 'focusModel', modelId: 'x' }), true);
  assert.equal(isHostToReport({ type: 'error', message: '<b>x</b>' }), true);
  assert.equal(isHostToReport({ type: 'showReport' }), false);
});
