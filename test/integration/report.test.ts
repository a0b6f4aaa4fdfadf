import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GreenLensApi } from '../../src/extension';
import type { Report } from '../../src/report/types';
import type { ReportApi } from '../../src/vscode/report/index';
import type { ReportRendered } from '../../src/webviewProtocol/report';

const ID = 'greenlens.greenlens';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

function reportTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('greenlens.report'));
}

/** Waits for a render that satisfies `ok`, looking at the latest one first. */
async function renderWhere(
  api: ReportApi,
  ok: (r: ReportRendered) => boolean,
  timeoutMs: number,
): Promise<ReportRendered | undefined> {
  const deadline = Date.now() + timeoutMs;
  let r = await api.nextRender(1000, true);
  while (!(r && ok(r)) && Date.now() < deadline) r = await api.nextRender(Math.max(1, deadline - Date.now()));
  return r && ok(r) ? r : undefined;
}

describe('report panel', () => {
  let api: ReportApi;
  let report: Report;

  before(async () => {
    const ext = vscode.extensions.getExtension<GreenLensApi>(ID)!;
    const exported = await ext.activate();
    assert.ok(exported, 'the extension exports its API');
    api = exported.report;
  });

  it('Show Report opens the panel and the page renders the workspace report with charts and a filled table', async function () {
    this.timeout(180_000);
    const shown = await vscode.commands.executeCommand<Report>('greenlens.showReport');
    assert.ok(shown, 'the command returns the report it shows');
    report = shown;
    assert.ok(
      report.models.some((m) => m.file === 'models/fashion_mlp.onnx'),
      `models: ${report.models.map((m) => m.id).join(', ')}`,
    );
    assert.ok(
      report.models.some((m) => m.kind === 'python-site'),
      'Python model sites are in the report',
    );
    assert.ok(reportTab(), 'a GreenLens Report tab is open');
    const names = [...new Set(report.models.map((m) => m.name))].sort().join('|');
    // An earlier render (the panel opened by a finished profile) may show an earlier report: wait for this one.
    const rendered = await renderWhere(
      api,
      (r) => r.tableRows > 0 && [...new Set(r.modelNames)].sort().join('|') === names,
      120_000,
    );
    assert.ok(
      rendered,
      `the page reported a render of every model with table rows (last: ${JSON.stringify(await api.nextRender(1, true))})`,
    );
    assert.ok(rendered.charts >= 1, `charts drawn: ${rendered.charts}`);
    assert.equal(rendered.activeElements, 0);
  });

  it('a newly opened panel draws the report once, not once per message', async function () {
    this.timeout(60_000);
    const tab = reportTab();
    if (tab) await vscode.window.tabGroups.close(tab);
    const before = await api.report();
    assert.ok(before, 'a report to show');
    const first = api.nextRender(30_000);
    await vscode.commands.executeCommand('greenlens.showReport');
    assert.ok(await first, 'the new page rendered');
    const second = await api.nextRender(3_000);
    // A rebuild in between (a watched file changed) is a new report and may be drawn again.
    if ((await api.report()) === before) assert.equal(second, undefined, 'the same report was drawn a second time');
  });

  it('refuses malformed and hostile messages without throwing and without acting', async function () {
    this.timeout(60_000);
    const code = report.recommendations.find((r) => r.action?.type === 'applyEdit');
    const site = report.models.find((m) => m.kind === 'python-site');
    assert.ok(code && site, 'the example report has an edit recommendation and a Python site');
    const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const messages: unknown[] = [
      null,
      undefined,
      42,
      'ready',
      [],
      {},
      { type: 'nope' },
      { type: 'ready', extra: 1 },
      { ...manyKeys, type: 'ready' },
      { type: 'runAction' },
      { type: 'runAction', recommendationId: 5, action: 'applyEdit' },
      { type: 'runAction', recommendationId: 'x'.repeat(5_000_000), action: 'applyEdit' },
      { type: 'runAction', recommendationId: 'variant:does-not-exist', action: 'saveVariant' },
      { type: 'runAction', recommendationId: code.id, action: 'saveVariant' },
      { type: 'runAction', recommendationId: code.id, action: 'rm -rf' },
      {
        type: 'runAction',
        recommendationId: code.id,
        action: 'applyEdit',
        edits: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            newText: 'import os; os.system("x")\n',
          },
        ],
      },
      { type: 'runAction', recommendationId: `<script>alert(1)</script>`, action: 'openRule' },
      { type: 'openFile', file: '../../../../etc/passwd' },
      { type: 'openFile', file: '/etc/passwd' },
      { type: 'openFile', file: 'models/fashion_mlp.onnx', line: -1 },
      { type: 'openFile', file: 'infer_resnet.py', line: 1.5 },
      { type: 'requestProfile', modelId: `${HOSTILE_NAME}` },
      { type: 'requestProfile', modelId: site.id },
      { type: 'exportReport', format: 'exe' },
      { type: 'exportReport', format: { toString: () => 'html' } },
      { type: 'rendered', modelId: '', modelNames: [], tableRows: 0, charts: 0, activeElements: -1 },
      JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'),
    ];
    const editorsBefore = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString());
    const versions = () => vscode.workspace.textDocuments.map((d) => `${d.uri.toString()}@${d.version}`).sort();
    const versionsBefore = versions();
    for (const msg of messages) {
      const outcome = await api.handleMessage(msg);
      assert.equal(outcome.ok, false, `accepted: ${JSON.stringify(msg)?.slice(0, 200)}`);
    }
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(versions(), versionsBefore, 'no document was opened or edited');
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.fsPath === '/etc/passwd'),
      'no file outside the report was opened',
    );
    assert.deepEqual(
      vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()),
      editorsBefore,
    );
    // The same handler does act on a well-formed request for something the report holds.
    const opened = await api.handleMessage({
      type: 'openFile',
      file: code.action!.type === 'applyEdit' ? code.action!.file : '',
      line: 2,
    });
    assert.equal(opened.ok, true, opened.detail);
  });

  it('a model named with markup is shown as text, never as an element', async function () {
    this.timeout(120_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const hostile = vscode.Uri.joinPath(folder, 'models', `${HOSTILE_NAME}.onnx`);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(folder, 'models', 'fashion_mlp.onnx'), hostile, {
      overwrite: true,
    });
    try {
      await vscode.commands.executeCommand('greenlens.showReport', hostile);
      const id = `onnx:models/${HOSTILE_NAME}.onnx`;
      const rendered = await renderWhere(api, (r) => r.modelId === id, 90_000);
      assert.ok(rendered, 'the page opened on that model');
      assert.ok(
        rendered.modelNames.includes(`${HOSTILE_NAME}.onnx`),
        `the page shows the model name as its literal text: ${rendered.modelNames.join(' | ')}`,
      );
      assert.equal(rendered.activeElements, 0, 'no img, script or iframe element in the page');
      assert.ok(rendered.tableRows > 0, 'its static estimate is in the table');
    } finally {
      await vscode.workspace.fs.delete(hostile);
    }
  });

  it('exports the report as a self-contained HTML page, Markdown, JSON and CSV', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const out = vscode.Uri.joinPath(folder, 'out-report');
    const read = async (name: string) =>
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(out, name)));
    try {
      for (const format of ['html', 'md', 'json', 'csv'] as const) {
        const o = await api.exportTo(format, vscode.Uri.joinPath(out, `report.${format}`));
        assert.equal(o.ok, true, o.detail);
      }
      const html = await read('report.html');
      assert.match(
        html,
        /<script type="application\/json" id="greenlens-report">/,
        'the report travels as a JSON data island',
      );
      assert.match(html, /Content-Security-Policy/);
      assert.ok(html.includes('acquireVsCodeApi'), "the panel's own page script is inlined");
      assert.ok(!/<script[^>]+src=/.test(html), 'no external script');
      const json = JSON.parse(await read('report.json')) as Report;
      assert.equal(json.schemaVersion, 1);
      // The report may have been rebuilt since the first test (files came and went): check what it must hold.
      assert.ok(
        json.models.some((m) => m.id === 'onnx:models/fashion_mlp.onnx' && m.profile),
        'the profiled example model with its profile',
      );
      assert.ok(
        json.models.some((m) => m.kind === 'python-site') && json.points.length > 0 && json.recommendations.length > 0,
      );
      assert.match(
        await read('report.md'),
        /fashion\\?_mlp\.onnx/,
        'Markdown escapes the underscore or not, the model is there',
      );
      assert.ok((await read('report.csv')).split('\n').length > report.points.length, 'one CSV row per point at least');
    } finally {
      await vscode.workspace.fs.delete(out, { recursive: true });
    }
  });
});
