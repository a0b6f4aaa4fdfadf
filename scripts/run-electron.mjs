// Runs the integration suite (test/integration, the same mocha suite as the code-server runner) through
// @vscode/test-electron, for machines with internet access: it downloads a VS Code build on first use.
// Usage: npm run test:electron   (env VSCODE_VERSION=stable|insiders|1.90.0 picks the build; default: the
// minimum version in package.json's engines, so the suite proves the declared minimum)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './lib/code-server.mjs';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const version = process.env.VSCODE_VERSION ?? pkg.engines.vscode.replace(/^[^\d]*/, '');
execFileSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
const scratch = mkdtempSync(join(tmpdir(), 'greenlens-electron-'));
const workspace = join(scratch, 'workspace');
cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    version,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out/test/integration/index'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      `--user-data-dir=${join(scratch, 'user-data')}`,
    ],
    extensionTestsEnv: { GREENLENS_TEST_RESULTS: join(scratch, 'results.json') },
  });
  console.log(`integration (electron ${version}): ${readFileSync(join(scratch, 'results.json'), 'utf8')}`);
} catch (err) {
  console.error(`the integration suite failed under @vscode/test-electron: ${err.message ?? err}`);
  process.exitCode = 1;
}
