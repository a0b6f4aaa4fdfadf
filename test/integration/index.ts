/**
 * Entry of the integration suite: VS Code loads this file in the extension host and calls run(). The same
 * entry serves code-server (scripts/run-integration.mjs) and @vscode/test-electron (scripts/run-electron.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  // The untrusted suite runs alone in a Restricted Mode workspace of hostile files; the main suite in examples/.
  const untrusted = process.env.GREENLENS_IT_SUITE === 'untrusted';
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js') && f.startsWith('untrusted') === untrusted) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      const out = process.env.GREENLENS_TEST_RESULTS;
      if (out)
        fs.writeFileSync(out, JSON.stringify({ passed: stats.passes, failed: stats.failures, pending: stats.pending }));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
