/** The Python feature as a person sees it: code lenses, GreenLens entries in Problems, a quick fix from Ctrl+. */
import assert from 'node:assert/strict';
import { openWorkbench, openFile, runCommand, waitForText, type E2ETest } from './workbench';

export const tests: E2ETest[] = [
  {
    name: 'infer_resnet.py shows model lenses and GreenLens problems, and a quick fix applies from Ctrl+.',
    async run(ctx) {
      const { page } = ctx;
      await openWorkbench(ctx, { devExtension: true });
      await openFile(page, 'infer_resnet.py');
      const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'resnet152' }).first();
      await lens.waitFor({ timeout: 60_000 });
      const headline = /resnet152 · ≈ [\d.]+ [mµ]?J\/inf · grade D/;
      const lensText = await waitForText(lens, headline);
      assert.match(lensText, headline);
      assert.match(lensText, /Profile/);
      assert.match(lensText, /Greener…/);
      // The actions stay on screen: the lens line ends before the editor's right edge.
      const [lensBox, editorBox] = await Promise.all([
        lens.boundingBox(),
        page.locator('.monaco-editor .view-lines').first().boundingBox(),
      ]);
      assert.ok(
        lensBox && editorBox && lensBox.x + lensBox.width <= editorBox.x + editorBox.width,
        'the lens and its actions fit the editor',
      );
      await ctx.shot('code-lenses');

      await runCommand(page, 'View: Focus Problems');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'GL002' }).first();
      await row.waitFor({ timeout: 30_000 });
      const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      assert.ok(
        rows.some((r) => r.includes('GreenLens') && r.includes('GL012')),
        `problem rows: ${rows.join(' | ')}`,
      );
      await ctx.shot('problems-panel');

      // Go to the inference call that GL002 flags and ask for quick fixes with Ctrl+.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').fill(':24:18');
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: 'Ln 24, Col 18' }).first().waitFor({ timeout: 15_000 });
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
      // A Ctrl+. that arrives while the editor is still taking focus back opens nothing: ask again until the menu shows.
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Insert model.eval()' }).first();
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+.');
        const shown = await fix.waitFor({ timeout: 10_000 }).then(
          () => true,
          () => false,
        );
        if (shown) break;
        if (attempt === 3) throw new Error('the quick-fix menu did not open after three Ctrl+.');
        await page.keyboard.press('Escape');
      }
      const menu = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
      assert.ok(
        menu.some((m) => m.includes('Show rule documentation (GL002)')),
        `menu: ${menu.join(' | ')}`,
      );
      await ctx.shot('quick-fix-menu');
      await fix.click();
      await page.locator('.view-lines', { hasText: 'model.eval()' }).first().waitFor({ timeout: 15_000 });
      // The fixed problem leaves the Problems panel once the edit is re-analyzed.
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: 'GL002' })
        .first()
        .waitFor({ state: 'detached', timeout: 30_000 });
      await ctx.shot('quick-fix-applied');
    },
  },
];
