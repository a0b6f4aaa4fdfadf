/** Opens examples/ in code-server with the extension under development and drives it like a person. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, openFile, runCommand, type E2ETest } from './workbench';

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
      assert.ok(
        rows.some((r) => r.includes('detect this machine')),
        `quick pick rows: ${rows.join(' | ')}`,
      );
      await ctx.shot('hardware-profile-picker');
      // Choosing the fixed CPU entry writes the workspace setting: a visible, checkable effect.
      await ctx.page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'this machine’s CPU, fixed' })
        .first()
        .click();
      const settingsFile = join(ctx.workspace, '.vscode', 'settings.json');
      const read = () => (existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : '');
      const deadline = Date.now() + 20_000;
      while (!read().includes('greenlens.hardware.profile') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const written = JSON.parse(read()) as Record<string, string>;
      assert.equal(written['greenlens.hardware.profile'], cpus()[0]?.model.trim());
      await ctx.shot('hardware-profile-set');
    },
  },
];
