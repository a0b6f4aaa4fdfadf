/**
 * The GreenLens side bar as a person meets it: the activity bar's GreenLens container opens on the
 * Overview (the workspace's yearly figures) and the Models tree (every model of examples/ by file, with
 * the catalog's figures); the Overview follows the active editor, its workload control rewrites the
 * figures, and "Open full report" opens the report beside the code. Screenshots of the Overview at
 * 1400×900 and in a 360 px side column go to test-results/e2e/sidebar/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { openFile, openWorkbench, runCommand, type E2EContext, type E2ETest } from './workbench';

export const options = {
  settings: { 'workbench.colorTheme': 'Default Dark Modern' },
};

const SHOTS = ['test-results', 'e2e', 'sidebar'];

/** The webview frame (of any view or panel) whose page holds `selector`, once it does. */
async function frameWith(page: Page, selector: string, timeout = 90_000): Promise<Frame> {
  for (const deadline = Date.now() + timeout; Date.now() < deadline;) {
    for (const f of page.frames()) {
      if (await f.$(selector).catch(() => null)) return f;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no webview shows ${selector}`);
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeout = 90_000): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + timeout; Date.now() < deadline;) {
    last = await read().catch(() => last);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last)}`);
}

async function openContainer(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item .action-label[aria-label^="GreenLens"]').first();
  await icon.waitFor({ timeout: 60_000 });
  await icon.click();
  await page.locator('.part.sidebar .pane-header', { hasText: 'Overview' }).first().waitFor({ timeout: 30_000 });
}

/** Drags the sash on the side bar's right edge so that the side bar is `width` px wide. */
async function sidebarWidth(page: Page, width: number): Promise<number> {
  const bar = page.locator('.part.sidebar');
  const box = (await bar.boundingBox())!;
  const edge = box.x + box.width;
  const sashes = await page.locator('.monaco-sash.vertical').all();
  let sash: { x: number; y: number; width: number; height: number } | undefined;
  for (const s of sashes) {
    const b = await s.boundingBox();
    if (b && b.height > box.height / 2 && Math.abs(b.x + b.width / 2 - edge) < 12) sash = b;
  }
  assert.ok(sash, 'the side bar has a sash on its right edge');
  const x = sash.x + sash.width / 2;
  const y = sash.y + sash.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width), y, { steps: 10 });
  await page.mouse.up();
  return (await bar.boundingBox())!.width;
}

async function shotColumn(ctx: E2EContext, name: string): Promise<void> {
  await ctx.page.locator('.part.sidebar').screenshot({ path: join(ctx.repoRoot, ...SHOTS, `${name}.png`) });
}

async function overviewModel(overview: Frame): Promise<string> {
  return (await overview.locator('#model-line').getAttribute('data-model-id')) ?? '';
}

async function checkOverview(ctx: E2EContext): Promise<Frame> {
  const { page } = ctx;
  const overview = await frameWith(page, '#headline');
  const head = await overview.locator('#headline').getAttribute('aria-label');
  assert.match(
    head ?? '',
    /^≈ [\d.,]+ kWh · ≈ [\d.,]+ kgCO2e · ≈ [\d.,]+ USD per year$/,
    'the headline sums the workspace up',
  );
  assert.match(
    await overview.locator('#basis').innerText(),
    /^at 10,000 inferences a day, served on this machine .* · \d+ models, 0 profiled$/,
  );
  assert.equal(await overview.locator('#workload').inputValue(), '10000');
  await ctx.shot('overview-1400x900');
  return overview;
}

async function followEditor(ctx: E2EContext, overview: Frame): Promise<void> {
  const { page } = ctx;
  await openFile(page, 'infer_resnet.py');
  await until(
    'the Overview selects resnet152',
    () => overviewModel(overview),
    (id) => id === 'py:infer_resnet.py:11',
  );
  assert.match(await overview.locator('#model-line').innerText(), /^≈ [\d.]+ J\/inf · grade D · ≈ [\d.,]+ kWh\/yr$/);
  await overview.locator('.chart canvas').waitFor({ timeout: 30_000 });
  await openFile(page, 'hf_pipeline.py');
  await until(
    'the Overview selects a model of hf_pipeline.py',
    () => overviewModel(overview),
    (id) => id.startsWith('py:hf_pipeline.py:'),
  );
  await openFile(page, 'infer_resnet.py');
  await until(
    'the Overview selects resnet152 again',
    () => overviewModel(overview),
    (id) => id === 'py:infer_resnet.py:11',
  );
  await ctx.shot('overview-follows-editor');
}

async function setWorkload(ctx: E2EContext, overview: Frame): Promise<void> {
  await overview.locator('#workload').fill('1000000000');
  await overview.locator('#workload').press('Enter');
  await overview.locator('#workload').blur();
  await until(
    'the figures at 10^9 inferences a day',
    () => overview.locator('#basis').innerText(),
    (t) => t.startsWith('at 1,000,000,000 inferences a day'),
  );
  const user = JSON.parse(
    readFileSync(join(ctx.server.scratch, 'user-data', 'User', 'settings.json'), 'utf8'),
  ) as Record<string, unknown>;
  assert.equal(user['greenlens.workload.inferencesPerDay'], 1e9, 'the control writes the user setting');
  await overview.locator('.rec').first().waitFor({ timeout: 30_000 });
  const recs = await overview.locator('.rec').count();
  assert.ok(recs >= 1 && recs <= 3, `recommendations worth acting on: ${recs}`);
  assert.match(await overview.locator('.rec .savings').first().innerText(), /kWh · .* kgCO2e · .* USD per year/);
  assert.ok((await overview.locator('.rec details summary', { hasText: 'Evidence' }).count()) >= 1);
}

async function openReportBeside(ctx: E2EContext, overview: Frame, modelId: string): Promise<void> {
  const { page } = ctx;
  await overview.locator('#open-report').click();
  const report = await frameWith(page, `#model-detail[data-model-id="${modelId}"]`);
  assert.ok(report);
  const groups = await page.locator('.editor-group-container').count();
  assert.equal(groups, 2, 'the report opens in a second editor group, beside the code');
  await page
    .locator('.editor-group-container')
    .nth(1)
    .locator('.tab.active', { hasText: 'GreenLens Report' })
    .waitFor({ timeout: 30_000 });
  await page
    .locator('.editor-group-container')
    .nth(0)
    .locator('.tab', { hasText: 'infer_resnet.py' })
    .waitFor({ timeout: 10_000 });
  await ctx.shot('full-report-beside');
}

/** Folds or unfolds a view of the side bar by its header. */
async function toggleView(page: Page, name: string): Promise<void> {
  await page.locator('.part.sidebar .pane-header', { hasText: name }).first().click();
}

async function checkModelsTree(ctx: E2EContext): Promise<void> {
  const { page } = ctx;
  // The Overview is folded so that the tree has the height to show every row.
  await toggleView(page, 'Models');
  await toggleView(page, 'Overview');
  const rows = page.locator('.part.sidebar .monaco-list-row');
  const resnet = rows.filter({ hasText: 'resnet152' }).first();
  await resnet.waitFor({ timeout: 60_000 });
  assert.match(await resnet.innerText(), /≈ [\d.]+ J\/inf · grade D/);
  for (const file of ['infer_resnet.py', 'hf_pipeline.py', 'fashion_mlp.onnx', 'train_classifier.py'])
    await rows.filter({ hasText: file }).first().waitFor({ timeout: 10_000 });
  // A click on the row reveals the model; its twistie expands it.
  await resnet.locator('.monaco-tl-twistie').click();
  await rows.filter({ hasText: 'Size' }).filter({ hasText: '11.6 GMACs' }).first().waitFor({ timeout: 10_000 });
  await rows.filter({ hasText: 'GL002' }).first().waitFor({ timeout: 10_000 });
  await resnet.hover();
  for (const action of ['Profile', 'Greener Alternatives', 'Reveal in Editor']) {
    await resnet.locator(`.actions .action-label[aria-label^="${action}"]`).first().waitFor({ timeout: 10_000 });
  }
  await ctx.shot('models-tree');
  const onnx = rows.filter({ hasText: 'fashion_mlp.onnx' }).filter({ hasText: '/inf' }).first();
  await onnx.hover();
  await onnx.locator('.actions .action-label[aria-label^="Reveal in Editor"]').first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'fashion_mlp.onnx' }).waitFor({ timeout: 30_000 });
  await ctx.shot('models-reveal-onnx');
}

export const tests: E2ETest[] = [
  {
    name: 'the GreenLens container: Overview with the workspace figures, following the editor, workload control, full report beside, Models tree',
    async run(ctx) {
      const { page } = ctx;
      await openWorkbench(ctx, { devExtension: true });
      await openContainer(page);
      const overview = await checkOverview(ctx);
      // The Models view is folded while the Overview is checked, so that the Overview has the column's height.
      await toggleView(page, 'Models');
      const width = await sidebarWidth(page, 360);
      assert.ok(width >= 320 && width <= 400, `side column ${width} px`);
      await shotColumn(ctx, 'overview-column-360px');
      await followEditor(ctx, overview);
      await setWorkload(ctx, overview);
      await shotColumn(ctx, 'overview-column-worth-acting-on');
      await ctx.shot('overview-worth-acting-on-1400x900');
      await openReportBeside(ctx, overview, await overviewModel(overview));
      await checkModelsTree(ctx);
      await runCommand(page, 'View: Close All Editors');
    },
  },
];
