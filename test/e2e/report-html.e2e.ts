/**
 * The exported report.html opened from disk in headless chromium: it must render its tables and charts
 * from the inlined bundle and data island alone, make no request beyond the file itself (and data: URIs),
 * break no CSP rule, and run nothing from a hostile workspace name. Screenshot: test-results/report/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '../../src/report/build';
import { loadReportAssets, renderReportHtml } from '../../src/report/export/html';
import { recordedInputs } from '../fixtures/report/recorded';
import type { E2ETest } from './workbench';

/**
 * Page-side checks, as source text: the test tsconfig has no DOM library. CANVASES_DRAWN is true when
 * there is at least one visible canvas and every visible canvas has more than 100 painted pixels.
 */
const CANVASES_DRAWN = `(() => {
  const visible = [...document.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0 && c.getClientRects().length > 0);
  return visible.length > 0 && visible.every((c) => {
    const g = c.getContext('2d');
    if (!g) return false;
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
    return painted > 100;
  });
})()`;
const TABLE_FILLED = `[...document.querySelectorAll('table')].some((t) => t.querySelectorAll('tbody tr').length > 0)`;

export const tests: E2ETest[] = [
  {
    name: 'the exported report renders its tables and charts offline and makes no request',
    async run(ctx) {
      const inputs = await recordedInputs({ inferencesPerDay: 1e9 });
      inputs.workspace = 'examples <img src=x onerror=alert(1)></script><script>alert(2)</script>';
      const report = buildReport(inputs);
      const dir = join(ctx.repoRoot, 'test-results', 'report');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'report.html');
      writeFileSync(file, renderReportHtml(report, loadReportAssets(join(ctx.repoRoot, 'dist'))));
      const url = pathToFileURL(file).href;

      const page = ctx.page;
      const requests: string[] = [];
      const problems: string[] = [];
      let dialogs = 0;
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('dialog', (d) => {
        dialogs++;
        void d.dismiss();
      });

      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(TABLE_FILLED, null, { timeout: 20_000 });
      await page.waitForFunction(CANVASES_DRAWN, null, { timeout: 20_000, polling: 250 });
      const text = await page.evaluate<string>('document.body.innerText');
      assert.ok(text.includes(report.recommendations[0]!.title), 'the top recommendation is shown');
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      await ctx.shot('report-html');

      const outside = requests.filter((r) => r !== url && !r.startsWith('data:'));
      assert.deepEqual(outside, [], `requests beyond the file: ${outside.join(', ')}`);
      assert.deepEqual(problems, []);
      assert.equal(dialogs, 0, 'nothing from the workspace name ran');
    },
  },
];
