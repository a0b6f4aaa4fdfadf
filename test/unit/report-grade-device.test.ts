/**
 * Every grade letter a report shows names the device its frontier belongs to (docs/grades.md): the summary
 * line, the status bar text, the Markdown, HTML, JSON and text exports, and the short form the report page's
 * table uses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REFERENCE_DEVICE } from '../../src/catalog/grades';
import { buildReport } from '../../src/report/build';
import { exportJson } from '../../src/report/export/json';
import { exportMarkdown } from '../../src/report/export/markdown';
import { renderReportHtml } from '../../src/report/export/html';
import { formatReportSummary } from '../../src/report/export/text';
import { gradeShort } from '../../src/report/gradeText';
import { statusBarText } from '../../src/report/summary';
import type { CatalogFacts } from '../../src/report/types';
import { recordedInputs } from '../fixtures/report/recorded';

/** Each "grade X" (or "grade X–Y") in `text` with the 40 characters after it. */
function gradeMentions(text: string): string[] {
  return [...text.matchAll(/\bgrade:? ([A-G](?:–[A-G])?)\b.{0,40}/gi)].map((m) => m[0]);
}

function assertDeviceNamed(where: string, text: string): void {
  const mentions = gradeMentions(text);
  assert.ok(mentions.length > 0, `${where} shows a grade`);
  for (const m of mentions) assert.ok(m.includes(REFERENCE_DEVICE), `${where}: "${m}" names no device`);
}

void test('the summary and the status bar name the device beside the worst grade', async () => {
  const report = buildReport(await recordedInputs());
  assert.equal(report.summary.worstGrade, 'D');
  assert.equal(report.summary.gradeDevice, REFERENCE_DEVICE);
  assert.match(report.summary.text, /· grade D \(RTX 3090\) ·/);
  assert.match(statusBarText(report), /· grade D \(RTX 3090\)( ·|$)/);
  // A summary of an older report, without the device, still names the device the catalog grades on.
  const { gradeDevice: _omitted, ...old } = report.summary;
  assert.match(statusBarText({ summary: old, recommendations: [] }), /grade D \(RTX 3090\)$/);
});

void test('text, Markdown, HTML and JSON exports never show a bare grade letter', async () => {
  const report = buildReport(await recordedInputs());
  assertDeviceNamed('text', formatReportSummary(report));
  assertDeviceNamed('markdown', exportMarkdown(report));
  assertDeviceNamed('html', renderReportHtml(report, { script: '', css: '' }));
  const json = JSON.parse(exportJson(report)) as { models: { catalog?: CatalogFacts }[] };
  const graded = json.models.flatMap((m) => (m.catalog ? [m.catalog] : []));
  assert.ok(graded.length > 0);
  for (const c of graded) assert.equal(c.referenceDevice, REFERENCE_DEVICE, c.name);
});

void test('the short form names the device, the letter range, and leaves test networks ungraded', () => {
  const base = { grade: 'C', referenceDevice: 'RTX 3090' };
  assert.equal(gradeShort(base), 'C (RTX 3090)');
  assert.equal(gradeShort({ ...base, gradeRange: ['B', 'D'] }), 'B–D (RTX 3090)');
  assert.equal(gradeShort({ ...base, testNetwork: true }), 'not graded (a test network)');
  // Reports written before the device was stored: the long label, else a letter that says what is missing.
  assert.equal(
    gradeShort({ grade: 'C', gradeLabel: 'C on RTX 3090, ≈ 1 mJ/inference' }),
    'C on RTX 3090, ≈ 1 mJ/inference',
  );
  assert.equal(gradeShort({ grade: 'C' }), 'C (reference device not stated)');
});

void test('a test network in the workspace does not set the worst grade', async () => {
  const inputs = await recordedInputs();
  const report = buildReport(inputs);
  const withTest = {
    ...report,
    models: report.models.map((m) =>
      m.catalog ? { ...m, catalog: { ...m.catalog, grade: 'G', testNetwork: true as const } } : m,
    ),
  };
  const { buildSummary } = await import('../../src/report/summary');
  const s = buildSummary(withTest.models, withTest.recommendations);
  assert.equal(s.worstGrade, undefined);
  assert.doesNotMatch(s.text, /grade/);
});
