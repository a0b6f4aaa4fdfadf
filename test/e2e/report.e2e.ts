/**
 * The report as a person meets it: a code lens in examples/serve_onnx.py profiles the model its ONNX
 * Runtime session loads, the report panel opens with the trade-off chart drawn and the variants table
 * filled, follows a switch to a dark theme and back, and comes back with its content after a reload.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { openFile, openWorkbench, runCommand, waitForText, type E2ETest } from './workbench';

export const options = {
  // A short budget keeps the run quick; the figures still come from real measurements of each variant.
  settings: { 'workbench.colorTheme': 'Default Light Modern', 'greenlens.profiling.timeBudgetSeconds': 10 },
};

function reportFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

// The functions below run in the page; the test tier's TypeScript has no DOM library, so the few browser
// types they touch are declared here.
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface Styled {
  className: string;
}
declare const getComputedStyle: (e: Styled) => { getPropertyValue(name: string): string };

/** Share of the chart canvas's pixels that are painted: a blank canvas has none. */
async function paintedShare(frame: FrameLocator, selector: string): Promise<number> {
  return frame.locator(selector).evaluate((node) => {
    const c = node as unknown as Canvas;
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted / (c.width * c.height);
  });
}

async function pickTheme(page: Page, label: string): Promise<void> {
  // The palette also lists "Browse Color Themes in Marketplace", which has no themes offline.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Color Theme', hasNotText: 'Marketplace' })
    .first()
    .click();
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** The body class VS Code gives the webview for the theme kind, and the foreground the chart draws with. */
async function pageTheme(frame: FrameLocator): Promise<{ kind: string; fg: string }> {
  return frame.locator('body').evaluate((node) => {
    const b = node as unknown as Styled;
    return { kind: b.className, fg: getComputedStyle(b).getPropertyValue('--gl-fg').trim() };
  });
}

async function expectFilledReport(frame: FrameLocator): Promise<void> {
  await frame.locator('#variants-table tbody tr').nth(1).waitFor({ timeout: 60_000 });
  const rows = await frame.locator('#variants-table tbody tr').count();
  assert.ok(rows >= 2, `variants table rows: ${rows}`);
  // The page may render twice (from its saved state, then from the host) and draws once it has a size.
  let share = 0;
  for (const deadline = Date.now() + 30_000; share <= 0.005 && Date.now() < deadline;) {
    share = await paintedShare(frame, '#pareto canvas').catch(() => 0);
    if (share <= 0.005) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(share > 0.005, `the trade-off chart is drawn (painted share ${share.toFixed(4)})`);
}

export const tests: E2ETest[] = [
  {
    name: "a code lens profiles the session's model; the report panel shows chart and table, follows the theme and survives a reload",
    async run(ctx) {
      const { page } = ctx;
      // The page runs under a strict CSP (nonce scripts, no inline styles): any violation shows in the console.
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to (apply|load|execute)/i.test(m.text())) violations.push(m.text());
      });
      await openWorkbench(ctx, { devExtension: true });
      await openFile(page, 'serve_onnx.py');
      const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: /^Profile$/ }).first();
      await lens.waitFor({ timeout: 60_000 });
      await lens.click();
      const random = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Random inputs' }).first();
      await random.waitFor({ timeout: 30_000 });
      await random.click();

      const frame = reportFrame(page);
      await frame.locator('#model-detail[data-model-id="onnx:models/fashion_mlp.onnx"]').waitFor({ timeout: 240_000 });
      await expectFilledReport(frame);
      const table = await frame.locator('#variants-table').innerText();
      assert.match(table, /int8 dynamic/, 'a measured variant is listed');
      assert.match(table, /agreement/, 'without labels quality is agreement with the baseline');
      assert.match(await frame.locator('#pareto').locator('..').locator('figcaption').innerText(), /log scale/);
      const status = page.locator('.statusbar-item', { hasText: /Wh\/yr/ }).first();
      await status.waitFor({ timeout: 30_000 });
      const summary = /≈ [\d.,]+ [kMG]?Wh\/yr · grade [A-G] \(RTX 3090\)/;
      assert.match(
        await waitForText(status, summary),
        summary,
        'the status bar sums the workspace up and names the grade’s device',
      );
      const light = await pageTheme(frame);
      assert.match(light.kind, /vscode-light/);
      await ctx.shot('report-light');
      await frame.locator('#variants-table').scrollIntoViewIfNeeded();
      await ctx.shot('report-table-light');

      await pickTheme(page, 'Dark Modern');
      await frame.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
      await expectFilledReport(frame);
      const dark = await pageTheme(frame);
      assert.notEqual(dark.fg, light.fg, 'the page takes its colours from the theme');
      await ctx.shot('report-dark');

      await pickTheme(page, 'Dark High Contrast');
      await frame.locator('body.vscode-high-contrast').waitFor({ timeout: 30_000 });
      await expectFilledReport(frame);
      // High contrast: cues carry a border, not colour alone (media/report.css).
      const recBorder = await frame
        .locator('.rec')
        .first()
        .evaluate((node) => {
          const cs = getComputedStyle(node as unknown as Styled);
          return `${cs.getPropertyValue('border-top-style')} ${cs.getPropertyValue('border-top-width')}`;
        });
      assert.equal(recBorder, 'solid 1px', 'recommendations are outlined in a high contrast theme');
      await ctx.shot('report-high-contrast');

      await pickTheme(page, 'Light Modern');
      await frame.locator('body.vscode-light').waitFor({ timeout: 30_000 });
      await expectFilledReport(frame);
      await ctx.shot('report-light-again');

      await runCommand(page, 'Developer: Reload Window');
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      const restored = reportFrame(page);
      await restored
        .locator('#model-detail[data-model-id="onnx:models/fashion_mlp.onnx"]')
        .waitFor({ timeout: 90_000 });
      await expectFilledReport(restored);
      assert.match(
        await restored.locator('#variants-table').innerText(),
        /int8 dynamic/,
        'the measured variants are back after the reload',
      );
      await ctx.shot('report-after-reload');
      assert.deepEqual(
        violations.filter((v) => /greenlens|webview/i.test(v)),
        [],
        'no CSP violation in the report page',
      );
    },
  },
];
