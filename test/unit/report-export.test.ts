/**
 * Unit tests of the report exporters: JSON against its schema (ajv, draft 2020-12), Markdown and CSV
 * escaping of hostile names, the HTML data island, CSP and the absence of any URL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { buildReport } from '../../src/report/build';
import { CSV_COLUMNS, exportCsv } from '../../src/report/export/csv';
import { renderReportHtml, REPORT_DATA_ID } from '../../src/report/export/html';
import { exportJson, REPORT_SCHEMA_ID } from '../../src/report/export/json';
import { exportMarkdown, mdEscape } from '../../src/report/export/markdown';
import type { Report } from '../../src/report/types';
import { recordedInputs, recordedProfile, repo } from '../fixtures/report/recorded';

const HOSTILE = '<script>alert(1)</script>|,"\n';
const HOSTILE_FILE = `models/${HOSTILE}.onnx`;

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(repo, 'docs', 'report.schema.json'), 'utf8')) as object);
}

/** A report whose workspace, ONNX file, profile label and Python site all carry hostile text. */
async function hostileReport(): Promise<Report> {
  const inputs = await recordedInputs({ inferencesPerDay: 1e9 });
  const profile = recordedProfile();
  profile.variants[1]!.label = `=HYPERLINK("x")${HOSTILE}`;
  inputs.workspace = HOSTILE;
  inputs.onnx = [{ ...inputs.onnx[0]!, file: HOSTILE_FILE }];
  inputs.profiles = { [HOSTILE_FILE]: profile };
  const site = inputs.python.find((p) => p.file === 'infer_resnet.py')!;
  inputs.python.push({ file: `${HOSTILE}.py`, analysis: site.analysis });
  return buildReport(inputs);
}

void test('report.json validates against docs/report.schema.json in every recorded case', async () => {
  const validate = validator();
  const cases = [
    await recordedInputs(),
    await recordedInputs({ inferencesPerDay: 1e9 }),
    await recordedInputs({ inferencesPerDay: 1e10 }, 'loaded'),
    await recordedInputs({ inferencesPerDay: 0, accuracyTolerance: 0 }),
  ].map(buildReport);
  cases.push(await hostileReport());
  for (const report of cases) {
    const json = JSON.parse(exportJson(report)) as unknown;
    assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3), null, 1));
    assert.deepEqual(json, JSON.parse(JSON.stringify(report)));
  }
  const schema = JSON.parse(readFileSync(path.join(repo, 'docs', 'report.schema.json'), 'utf8')) as { $id: string };
  assert.equal(schema.$id, REPORT_SCHEMA_ID);
});

void test('the schema rejects reports that break the contract', async () => {
  const validate = validator();
  const good = JSON.parse(exportJson(buildReport(await recordedInputs()))) as Report & Record<string, unknown>;
  const broken: [string, (r: Report & Record<string, unknown>) => void][] = [
    [
      'another schema version',
      (r) => {
        (r as { schemaVersion: number }).schemaVersion = 2;
      },
    ],
    [
      'an unknown verdict',
      (r) => {
        (r.recommendations[0] as { verdict: string }).verdict = 'maybe';
      },
    ],
    [
      'an estimate without provenance',
      (r) => {
        delete (r.points[0]!.energyPerInference as Partial<Report['points'][0]['energyPerInference']>).provenance;
      },
    ],
    [
      'an unknown top-level field',
      (r) => {
        r.extra = 1;
      },
    ],
    [
      'a yearly energy in joules',
      (r) => {
        r.models[0]!.yearly!.energy.unit = 'J';
      },
    ],
    [
      'a time stamp that is no date',
      (r) => {
        r.generatedAt = 'yesterday';
      },
    ],
  ];
  for (const [what, mutate] of broken) {
    const copy = structuredClone(good);
    mutate(copy);
    assert.equal(validate(copy), false, what);
  }
});

void test('Markdown escapes hostile names: no HTML, no broken table rows', async () => {
  const md = exportMarkdown(await hostileReport());
  assert.doesNotMatch(md, /<script/i);
  assert.match(md, /&lt;script&gt;alert\(1\)&lt;\/script&gt;\\\|,"/);
  const tables = md.split('\n\n').filter((block) => block.startsWith('| '));
  assert.ok(tables.length >= 3);
  for (const block of tables) {
    const rows = block.split('\n');
    const cells = (row: string) => row.replace(/\\\|/g, '').split('|').length;
    for (const row of rows) assert.equal(cells(row), cells(rows[0]!), `row keeps its columns: ${row}`);
  }
  assert.equal(mdEscape('a|b\nc`d*e_f[g]h<i>&'), 'a\\|b c\\`d\\*e\\_f\\[g\\]h&lt;i&gt;&amp;');
  assert.equal(mdEscape('# heading', true), '\\# heading');
  assert.equal(mdEscape('1. item', true), '1\\. item');
  assert.equal(mdEscape('1. item'), '1. item');
});

void test('Markdown lists assumptions, models, measured variants, ranked recommendations and a legend', async () => {
  const report = buildReport(await recordedInputs({ inferencesPerDay: 1e9 }));
  const md = exportMarkdown(report);
  for (const h of ['## Assumptions', '## Models', '## Measured variants', '## Recommendations', '## Provenance'])
    assert.ok(md.includes(`\n${h}\n`), h);
  assert.match(md, /\| 1 \| ✅ worth it \| Use /);
  assert.match(md, /\| int8 dynamic \(MatMul\+Gemm\) \| ≈ 1\.08 mJ \| estimate:cpu-time \|/);
  assert.match(md, /…and \d+ more, \d+ of them not worth it/);
  assert.match(md, /- \*\*estimated\*\*: TDP × CPU-time share/);
});

void test('CSV has one RFC 4180 row per trade-off point and survives hostile names', async () => {
  const report = await hostileReport();
  const csv = exportCsv(report);
  assert.ok(csv.includes('\r\n'));
  const rows = parse(csv, { columns: true, relax_quotes: false }) as Record<string, string>[];
  assert.equal(rows.length, report.points.length);
  assert.deepEqual(Object.keys(rows[0]!), [...CSV_COLUMNS]);
  const onnxRows = rows.filter((r) => r.model_file === HOSTILE_FILE);
  assert.equal(onnxRows.length, 6, 'the hostile file name reads back exactly');
  // A cell that a spreadsheet would evaluate gets a leading apostrophe; the rest reads back unchanged.
  assert.equal(onnxRows[1]!.label, `'=HYPERLINK("x")${HOSTILE}`);
  const int8 = onnxRows.find((r) => r.ref === 'int8-dynamic')!;
  assert.equal(Number(int8.energy_j), report.points.find((p) => p.ref === 'int8-dynamic')!.energyPerInference.value);
  assert.equal(int8.energy_provenance, 'estimated');
  assert.equal(int8.energy_meter, 'estimate:cpu-time');
  assert.match(int8.recommendation_id!, /^variant:/);
  assert.ok(['worth-it', 'marginal', 'not-worth-it'].includes(int8.verdict!));
});

void test('CSV keeps negative numbers as numbers (no formula prefix)', async () => {
  const report = buildReport(await recordedInputs({}, 'loaded'));
  const rows = parse(exportCsv(report), { columns: true }) as Record<string, string>[];
  const slower = rows.filter((r) => r.series === 'variant');
  assert.ok(slower.length === 3 && slower.every((r) => Number(r.savings_kwh) < 0 && r.savings_kwh!.startsWith('-')));
});

const ASSETS = {
  script:
    '/*! lib v1 | MIT License | https://example.org/lib */\nconsole.log("</script><!-- x");\n//# sourceMappingURL=webview.js.map\n',
  css: 'body{color:red}/* </style><script>alert(1)</script> */',
};

/** The page without its <style> element, whose raw text may say anything except `</style`. */
function withoutStyle(html: string): string {
  const parts = html.split(/<style>|<\/style>/);
  assert.equal(parts.length, 3, 'one style element');
  assert.doesNotMatch(parts[1]!, /<\/style/i);
  return parts[0]! + parts[2]!;
}

function dataIsland(html: string): string {
  const m = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([\\s\\S]*?)</script>`).exec(html);
  assert.ok(m, 'the data island is present');
  return m[1]!;
}

void test('HTML: the data island cannot be broken out of and parses back to the report', async () => {
  const report = await hostileReport();
  const html = renderReportHtml(report, ASSETS);
  const island = dataIsland(html);
  assert.doesNotMatch(island, /[<>]/);
  assert.deepEqual(JSON.parse(island), JSON.parse(JSON.stringify(report)));
  const page = withoutStyle(html);
  assert.equal(page.match(/<script/g)!.length, 2, 'two script elements: the data island and the page script');
  assert.equal(page.match(/<\/script>/g)!.length, 2);
  assert.ok(html.includes('<title>GreenLens report: &lt;script&gt;alert(1)&lt;/script&gt;|,&quot;\n</title>'));
});

void test('HTML: strict CSP with the inline script’s own hash, and no URL anywhere', async () => {
  const html = renderReportHtml(buildReport(await recordedInputs()), ASSETS);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, /style-src 'unsafe-inline'/);
  assert.match(csp, /img-src data:/);
  const script = /<script>([\s\S]*?)<\/script>/.exec(withoutStyle(html))![1]!;
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  assert.ok(csp.includes(`script-src 'sha256-${hash}'`), csp);
  assert.ok(script.includes('console.log("<\\/script><\\!-- x")'), script);
  assert.ok(script.includes('MIT License | example.org/lib'), 'the license banner stays, without its scheme');
  assert.doesNotMatch(html, /https?:\/\//i);
  assert.doesNotMatch(html, /sourceMappingURL/);
  assert.doesNotMatch(html, /<(link|img|iframe)\b/i);
});
