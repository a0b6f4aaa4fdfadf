/** Opens the example .onnx file in the real VS Code and checks the GreenLens viewer shows its cost. */
import assert from 'node:assert/strict';
import { openWorkbench, openFile, type E2ETest } from './workbench';

// 784-256-128-10 MLP: weights and biases of three Linear layers, counted by hand.
const PARAMS = (784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10).toLocaleString('en-US');

export const tests: E2ETest[] = [
  {
    name: 'opening an .onnx file shows the GreenLens viewer with the right parameter count',
    async run(ctx) {
      await openWorkbench(ctx, { devExtension: true });
      await openFile(ctx.page, 'fashion_mlp.onnx');
      const frame = ctx.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const params = frame.locator('.card[data-label="Parameters"] .value');
      await params.waitFor({ timeout: 60_000 });
      const text = await params.innerText();
      assert.ok(text.startsWith(PARAMS), `viewer shows "${text}", expected ${PARAMS}`);
      const compute = await frame.locator('.card[data-label="Compute"] .value').innerText();
      assert.match(compute, /^235 k MACs per inference$/);
      // Energy, cost and grade as the report states them for the file.
      const figure = (label: string) => frame.locator(`.figures .card[data-label="${label}"] .value`);
      await figure('Grade').waitFor({ timeout: 60_000 });
      assert.equal(await figure('Grade').innerText(), 'not graded');
      assert.match(await figure('Energy per inference').innerText(), /^≈ [\d.]+ [µmn]?J$/);
      assert.match(await figure('Cost per year').innerText(), /^≈ [\d.e+-]+ USD/);
      await ctx.shot('onnx-viewer');
      // Changing the batch size recomputes the figures (MACs scale with the batch).
      await frame.locator('#batch').fill('8');
      await frame.locator('#batch').press('Enter');
      await frame.locator('.card[data-label="Compute"] .source', { hasText: 'batch=8' }).waitFor({ timeout: 20_000 });
      await ctx.shot('onnx-viewer-batch-8');
    },
  },
];
