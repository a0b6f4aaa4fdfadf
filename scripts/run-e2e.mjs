// Runs the UI tests of test/e2e: each *.e2e.ts file exports `tests` ({name, run(ctx)}) and optional
// `options`; every file gets a fresh code-server and browser. Screenshots go to test-results/e2e/.
// Run with: node --import tsx scripts/run-e2e.mjs [filter]
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCodeServer, launchBrowser, scratchWorkspace, repoRoot } from './lib/code-server.mjs';

const filter = process.argv[2];
const dir = join(repoRoot, 'test/e2e');
const specs = readdirSync(dir)
  .filter((f) => f.endsWith('.e2e.ts') && (!filter || f.includes(filter)))
  .sort();
const results = { passed: 0, failed: 0, pending: 0 };

for (const spec of specs) {
  const mod = await import(pathToFileURL(join(dir, spec)).href);
  const name = basename(spec, '.e2e.ts');
  const shotsDir = join(repoRoot, 'test-results', 'e2e', name);
  mkdirSync(shotsDir, { recursive: true });
  let server;
  let browser;
  try {
    const extraExtensionsDir = mod.options?.prepare ? await mod.options.prepare() : undefined;
    server = await startCodeServer({
      name: `e2e-${name}`,
      extensionsDir: extraExtensionsDir,
      settings: mod.options?.settings ?? {},
    });
    browser = await launchBrowser();
    const workspace = scratchWorkspace(join(repoRoot, 'examples'), server.scratch);
    const page = await browser.newPage();
    let n = 0;
    const ctx = {
      server,
      page,
      workspace,
      repoRoot,
      shot: async (step) => {
        const file = join(shotsDir, `${String(++n).padStart(2, '0')}-${step}.png`);
        await page.screenshot({ path: file });
        return file;
      },
    };
    for (const t of mod.tests) {
      const t0 = Date.now();
      try {
        await t.run(ctx);
        results.passed += 1;
        console.log(`  ✔ ${name}: ${t.name} (${Date.now() - t0} ms)`);
      } catch (err) {
        results.failed += 1;
        console.log(
          `  ✘ ${name}: ${t.name}\n    ${String(err?.stack ?? err)
            .split('\n')
            .slice(0, 6)
            .join('\n    ')}`,
        );
        await ctx.shot('failure').catch(() => {});
      }
    }
  } catch (err) {
    results.failed += 1;
    console.log(`  ✘ ${name}: could not start: ${err.message}`);
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
}

console.log(`e2e: ${results.passed} passed, ${results.failed} failed, ${results.pending} skipped`);
if (process.env.GREENLENS_SUMMARY_FILE) writeFileSync(process.env.GREENLENS_SUMMARY_FILE, JSON.stringify(results));
process.exitCode = results.failed > 0 ? 1 : 0;
// Lingering browser or server handles must not keep the run waiting.
process.exit();
