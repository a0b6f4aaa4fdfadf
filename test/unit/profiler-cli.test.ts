/** `greenlens profile`: plain progress lines off a terminal, JSON output, usage errors. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { parseDuration } from '../../src/cli/commands/profile';
import type { ProfileResult } from '../../src/profiler/index';
import { tempDir } from './helpers/tempDir';

const ROOT = path.join(__dirname, '..', '..');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false, cwd: ROOT },
  };
}

void test('greenlens profile --json prints a ProfileResult and one progress line per variant', async () => {
  const dir = tempDir('gl-cli-');
  const c = io();
  const code = await main(
    [
      'profile',
      'examples/models/fashion_mlp.onnx',
      '--variants',
      'int8-dynamic,prune-local:0.5',
      '--budget',
      '2s',
      '--json',
      '--storage',
      dir,
      '--no-cache',
    ],
    c.io,
  );
  assert.equal(code, 0, c.err.join('\n'));
  const res = JSON.parse(c.out.join('\n')) as ProfileResult;
  assert.deepEqual(
    res.variants.map((v) => v.id),
    ['baseline', 'int8-dynamic', 'prune-local:0.5'],
  );
  assert.equal(res.inputs.source, 'random');
  // Every measured variant carries its speed-up against the baseline as an interval, and a verdict.
  assert.deepEqual(res.variants[0]?.speedup, { value: 1, low: 1, high: 1 });
  for (const v of res.variants.slice(1)) {
    assert.ok(
      v.speedup && v.speedup.value > 0 && v.speedup.low <= v.speedup.value && v.speedup.value <= v.speedup.high,
      `${v.id}: ${JSON.stringify(v.speedup)}`,
    );
    assert.ok(v.verdict, v.id);
  }
  // A busy machine adds a warning line before the run; whether there is one depends on the machine.
  assert.deepEqual(
    c.err.filter((l) => !l.startsWith('warning: ')).map((l) => l.replace(/ p50.*/, '')),
    ['[1/3] baseline: measured', '[2/3] int8-dynamic: measured', '[3/3] prune-local:0.5: measured'],
  );
});

void test('greenlens profile rejects unknown variants and bad budgets with usage', async () => {
  const c = io();
  assert.equal(await main(['profile', 'examples/models/fashion_mlp.onnx', '--variants', 'int3'], c.io), 1);
  assert.match(c.err.join('\n'), /unknown variant "int3"[\s\S]*Usage: greenlens profile/);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.throws(() => parseDuration('soon'), /--budget/);
});
