/**
 * Every command's `--help` lists its options, each with a one-line description (and its default where it
 * has one), and ends with an example; the options described are exactly the flags of its usage line. A
 * negative number reaches the flag's own check: `--epochs -3` says that epochs must be positive.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS, main } from '../../src/cli/main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, cwd: process.cwd() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const flagsOf = (text: string): Set<string> =>
  new Set([...text.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!).filter((f) => f !== 'help'));

for (const name of Object.keys(COMMANDS)) {
  void test(`greenlens ${name} --help describes every option and ends with an example`, async () => {
    const r = await run([name, '--help']);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    const usage = lines[0]!;
    assert.match(usage, new RegExp(`^Usage: greenlens ${name}`));
    const start = lines.indexOf('Options:');
    const end = lines.indexOf('Example:');
    assert.ok(start > 0 && end > start, r.out);
    const optionLines = lines.slice(start + 1, end).filter((l) => l.trim() !== '');
    for (const l of optionLines)
      assert.match(l, /^ {2}(-\w, )?--[a-z0-9-]+( \S+)? +\S.*$/, `a flag and a description: ${l}`);
    const described = flagsOf(optionLines.map((l) => l.trim().split(/\s{2,}/)[0]).join(' '));
    assert.deepEqual(
      [...described].sort(),
      [...flagsOf(usage)].sort(),
      'the options described are the usage line’s flags',
    );
    assert.match(lines[end + 1]!, new RegExp(`^ {2}greenlens ${name} `));
    assert.equal(lines.length, end + 2, 'the example is last');
  });
}

void test('--epochs -3 says that epochs must be positive, not that the argument is ambiguous', async () => {
  const r = await run([
    'estimate-training',
    '--arch',
    'resnet50',
    '--gpu',
    'RTX 3090',
    '--epochs',
    '-3',
    '--images',
    '100',
  ]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--epochs must be positive; got -3\./);
  assert.doesNotMatch(r.err, /ambiguous/);
});

void test('a bad assumption flag is named as the flag, not as a VS Code setting', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-flag-'));
  try {
    const r = await run(['report', dir, '--no-profile', '--format', 'json', '--region', 'not a region']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: --region has an unusable value "not a region"/);
    assert.doesNotMatch(r.err, /greenlens\.carbon\.region/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('notes that name an editor setting name the command’s flag instead', async () => {
  const r = await run([
    'estimate-training',
    '--arch',
    'resnet50',
    '--gpu',
    'RTX 3090',
    '--epochs',
    '3',
    '--images',
    '1000',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Set --region to a country code/);
  assert.doesNotMatch(r.out, /greenlens\.carbon\.region/);
});
