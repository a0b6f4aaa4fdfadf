// Runs the mocha suite of test/integration inside a real VS Code extension host (code-server), driven
// by headless chromium. Prints mocha's report and a JSON summary line; exits 1 if any test failed.
// The same suite runs under @vscode/test-electron through scripts/run-electron.mjs.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startCodeServer,
  launchBrowser,
  workbenchUrl,
  remoteUri,
  scratchWorkspace,
  repoRoot,
} from './lib/code-server.mjs';

const TIMEOUT_MS = Number(process.env.GREENLENS_INTEGRATION_TIMEOUT_MS ?? 600_000);

/**
 * Extension-host console output reaches the page as ('%c[Extension Host] %s…', 'color: …', ...args):
 * drop the styling, apply the printf-style format, and print only extension-host lines.
 */
async function printExtensionHostLine(msg) {
  const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '')));
  const [level, style, fmt, ...rest] = values;
  // Only the extension host's styled INFO/ERR lines carry mocha's report.
  if (
    typeof level !== 'string' ||
    !/^%c\s*(INFO|ERR)/.test(level) ||
    typeof style !== 'string' ||
    typeof fmt !== 'string'
  )
    return;
  if (/AccountPolicyGate|reconnection-grace|socket|Service Worker|AgentHost|builtin extensions/.test(fmt)) return;
  const line =
    fmt.replace(/%[sdoOif]/g, () => String(rest.shift() ?? '')) + (rest.length ? ' ' + rest.map(String).join(' ') : '');
  process.stdout.write(line + '\n');
}

/**
 * A workspace for the untrusted suite: one real model beside a file of ten million empty ONNX nodes, the
 * memory amplification a hostile repository could hold.
 */
function hostileWorkspace(scratch) {
  const to = join(scratch, 'hostile');
  mkdirSync(to, { recursive: true });
  copyFileSync(join(repoRoot, 'examples/models/fashion_mlp.onnx'), join(to, 'fashion_mlp.onnx'));
  const body = Buffer.alloc(20_000_000);
  for (let i = 0; i < body.length; i += 2) body[i] = 0x0a;
  writeFileSync(join(to, 'amplified.onnx'), Buffer.concat([Buffer.from([0x3a, 0x80, 0xda, 0xc4, 0x09]), body]));
  return to;
}

/** Runs one suite: the trusted examples/ workspace (`main`) or the untrusted hostile one (`untrusted`). */
export async function runSuite(suite) {
  const results = join(mkdtempSync(join(tmpdir(), 'greenlens-it-')), 'results.json');
  const untrusted = suite === 'untrusted';
  const server = await startCodeServer({
    name: `integration-${suite}`,
    untrusted,
    env: { GREENLENS_TEST_RESULTS: results, GREENLENS_REPO_ROOT: repoRoot, GREENLENS_IT_SUITE: suite },
  });
  const browser = await launchBrowser();
  try {
    const workspace = untrusted
      ? hostileWorkspace(server.scratch)
      : scratchWorkspace(join(repoRoot, 'examples'), server.scratch);
    const page = await browser.newPage();
    const exit = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    page.on('console', (msg) => {
      void printExtensionHostLine(msg);
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, join(repoRoot, 'out/test/integration/index'))],
    ];
    await page.goto(workbenchUrl(server, workspace, payload));
    let timer;
    const code = await Promise.race([
      exit,
      new Promise((r) => {
        timer = setTimeout(() => r('timeout'), TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (code === 'timeout')
      throw new Error(
        `the integration suite did not finish within ${TIMEOUT_MS / 1000} s; code-server log: ${server.log}`,
      );
    if (!existsSync(results))
      throw new Error(
        `the suite exited with ${code} but wrote no results (it may not have started); code-server log: ${server.log}`,
      );
    return JSON.parse(readFileSync(results, 'utf8'));
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
}

/** Runs both suites and adds up their counts. */
export async function runIntegration() {
  const main = await runSuite('main');
  const untrusted = await runSuite('untrusted');
  return {
    passed: main.passed + untrusted.passed,
    failed: main.failed + untrusted.failed,
    pending: main.pending + untrusted.pending,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const r = await runIntegration();
    console.log(`integration: ${r.passed} passed, ${r.failed} failed, ${r.pending} skipped`);
    if (process.env.GREENLENS_SUMMARY_FILE) writeFileSync(process.env.GREENLENS_SUMMARY_FILE, JSON.stringify(r));
    process.exitCode = r.failed > 0 ? 1 : 0;
  } catch (err) {
    console.error(`integration tier could not run: ${err.message}`);
    process.exitCode = 1;
  }
  // Browser and server handles may linger after a crash of the page: never let them keep CI waiting.
  process.exit();
}
