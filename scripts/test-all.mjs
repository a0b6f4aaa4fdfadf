// `npm test`: builds, type-checks, lints and checks the formatting, then runs the three tiers — unit (node's test runner over
// the pure modules), integration (mocha inside a real VS Code extension host) and e2e (playwright-core
// driving chromium against code-server) — and ends with one line `N passed, N failed, N skipped`, after
// the skipped tests with their reasons. Before the unit tier it sets up the test material
// (scripts/install-test-material.sh: Debian's PyTorch, ONNX and datasets, the real ONNX models), as the
// other tiers install their tools (scripts/install-test-tools.sh), so a fresh machine runs what CI runs.
// Usage: node scripts/test-all.mjs [--tier unit|integration|e2e]... [--no-static]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib/code-server.mjs';

// onnxruntime's native telemetry stays off in every test process (GreenLens sets it where it loads
// onnxruntime too; this covers tools and test processes that load it by themselves).
process.env.ORT_DISABLE_TELEMETRY = '1';

const argv = process.argv.slice(2);
const tiers = argv.flatMap((a, i) => (a === '--tier' ? [argv[i + 1]] : []));
const wanted = (t) => tiers.length === 0 || tiers.includes(t);
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

function step(name, ok) {
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  if (!ok) totals.failed += 1;
}

function files(dir, suffix) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p, suffix));
    else if (e.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

const scratch = mkdtempSync(join(tmpdir(), 'greenlens-test-'));
step('build', run(process.execPath, ['scripts/build.mjs']) === 0);
if (!argv.includes('--no-static') && tiers.length === 0) {
  step(
    'typecheck',
    run('npx', ['tsc', '--noEmit', '-p', '.']) === 0 && run('npx', ['tsc', '--noEmit', '-p', 'src/webview']) === 0,
  );
  step('lint', run('npx', ['eslint', '.']) === 0);
  step('format', run('npx', ['prettier', '--check', '--log-level', 'warn', '.']) === 0);
}

if (wanted('unit')) {
  step('test material', run('bash', ['scripts/install-test-material.sh']) === 0);
  const tap = join(scratch, 'unit.tap');
  const tests = files(join(repoRoot, 'test/unit'), '.test.ts');
  const code = run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...tests,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  // The TAP summary sits at the end of the file; nested subtests are counted by node as well.
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  const u = {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
  if (code !== 0 && u.failed === 0) u.failed = 1;
  lines.push(`unit: ${u.passed} passed, ${u.failed} failed, ${u.skipped} skipped`);
  // Each skip says why: what the machine lacks (a platform feature, a device), never what setup forgot.
  for (const m of text.matchAll(/^\s*ok \d+ - (.*?) # SKIP\s*(.*)$/gm))
    lines.push(`  skipped: ${m[1]} (${m[2] || 'no reason given'})`);
  for (const k of Object.keys(totals)) totals[k] += u[k];
}

for (const tier of ['integration', 'e2e']) {
  if (!wanted(tier)) continue;
  const summary = join(scratch, `${tier}.json`);
  const script = tier === 'integration' ? ['scripts/run-integration.mjs'] : ['--import', 'tsx', 'scripts/run-e2e.mjs'];
  const code = run(process.execPath, script, { env: { ...process.env, GREENLENS_SUMMARY_FILE: summary } });
  const r = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : { passed: 0, failed: 1, pending: 0 };
  if (code !== 0 && r.failed === 0) r.failed = 1;
  lines.push(`${tier}: ${r.passed} passed, ${r.failed} failed, ${r.pending ?? 0} skipped`);
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.pending ?? 0;
}

console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
