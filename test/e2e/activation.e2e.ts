/** Opens examples/ in code-server with the extension under development and drives it like a person. */
import assert from 'node:assert/strict';
import { openWorkbench, openFile, runCommand, waitForNotification, type E2ETest } from './workbench';

export const tests: E2ETest[] = [
  {
    name: 'the extension activates on a Python file and its commands run from the palette',
    async run(ctx) {
      await openWorkbench(ctx, { devExtension: true });
      await ctx.shot('workbench');
      await openFile(ctx.page, 'infer_resnet.py');
      await ctx.page.locator('.view-lines').first().waitFor();
      await ctx.shot('python-file-open');
      await runCommand(ctx.page, 'GreenLens: Select Hardware Profile');
      const auto = ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'auto' }).first();
      await auto.waitFor({ timeout: 30_000 });
      const rows = await ctx.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      assert.ok(rows.some((r) => r.includes('detect this machine')), `quick pick rows: ${rows.join(' | ')}`);
      await ctx.shot('hardware-profile-picker');
      await ctx.page.keyboard.press('Escape');
      await runCommand(ctx.page, 'GreenLens: Show Report');
      await waitForNotification(ctx.page, /not available yet|GreenLens/);
      await ctx.shot('command-feedback');
    },
  },
];
