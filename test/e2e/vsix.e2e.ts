/** Installs the packaged linux-x64 VSIX into code-server with --install-extension and checks it activates. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installVsix, repoRoot } from '../../scripts/lib/code-server.mjs';
import { openWorkbench, openFile, runCommand, type E2ETest } from './workbench';

const MAX_MB = 60;
let vsixPath = '';

export const options = {
  /** Packages the VSIX and installs it into a fresh extensions folder, which code-server then uses. */
  async prepare(): Promise<string> {
    execFileSync(process.execPath, [join(repoRoot, 'scripts/package.mjs'), '--target', 'linux-x64'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    vsixPath = join(repoRoot, 'out/vsix', `greenlens-linux-x64-${pkg.version}.vsix`);
    const extensionsDir = mkdtempSync(join(tmpdir(), 'greenlens-installed-'));
    installVsix(vsixPath, extensionsDir);
    return extensionsDir;
  },
};

export const tests: E2ETest[] = [
  {
    name: `the linux-x64 VSIX is at most ${MAX_MB} MB, installs with --install-extension and activates`,
    async run(ctx) {
      const mb = statSync(vsixPath).size / 1e6;
      console.log(`    VSIX size: ${mb.toFixed(1)} MB`);
      assert.ok(mb <= MAX_MB, `VSIX is ${mb.toFixed(1)} MB`);
      await openWorkbench(ctx, { devExtension: false });
      await openFile(ctx.page, 'train_classifier.py');
      await ctx.shot('installed-extension-python-file');
      await runCommand(ctx.page, 'GreenLens: Select Hardware Profile');
      await ctx.page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'detect this machine' })
        .first()
        .waitFor({ timeout: 30_000 });
      await ctx.shot('installed-extension-command');
      await ctx.page.keyboard.press('Escape');
    },
  },
];
