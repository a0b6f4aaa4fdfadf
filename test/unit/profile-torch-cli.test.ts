/** `greenlens profile-torch`: JSON output on a user module, the printed script, usage errors and Python errors. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import type { TorchProfileResult } from '../../src/profiler/torch/index';
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

void test('greenlens profile-torch file.py:LINE --json prints a result in the profiler format, progress on stderr', async () => {
  const c = io();
  const storage = tempDir('gl-torch-cli-');
  const code = await main(
    [
      'profile-torch',
      'examples/linear_heavy.py:27',
      '--python',
      '/usr/bin/python3',
      '--json',
      '--budget',
      '4s',
      '--variants',
      'int8-dynamic,torch-compile',
      '--storage',
      storage,
    ],
    c.io,
  );
  assert.equal(code, 0, c.err.join('\n'));
  const res = JSON.parse(c.out.join('\n')) as TorchProfileResult;
  assert.equal(res.profiler, 'torch');
  assert.deepEqual(
    res.variants.map((v) => v.id),
    ['baseline', 'int8-dynamic', 'torch-compile'],
  );
  assert.ok(res.variants[1]!.accuracy?.top1Agreement !== undefined);
  const q = res.variants[1]!;
  assert.ok(
    q.speedup && q.speedup.low <= q.speedup.value && q.speedup.value <= q.speedup.high && q.verdict,
    JSON.stringify(q.speedup),
  );
  assert.ok(
    (res.measurement?.passes ?? 0) >= 1 && res.measurement?.overheadPct !== undefined,
    JSON.stringify(res.measurement),
  );
  assert.ok(res.scriptPath.startsWith(storage), 'the script is written to GreenLens storage');
  assert.match(c.err.join('\n'), /\[1\/3\] baseline: measured[\s\S]*\[3\/3\] torch-compile: (measured|not-applicable)/);
});

void test('greenlens profile-torch --print-script shows the harness without running it', async () => {
  const c = io();
  assert.equal(
    await main(
      [
        'profile-torch',
        'examples/fashion_mlp.py:26',
        '--print-script',
        '--dataset',
        'examples/data/fashion-mnist-test',
      ],
      c.io,
    ),
    0,
  );
  const script = c.out.join('\n');
  assert.match(
    script,
    /^#!\/usr\/bin\/env python3\n# GreenLens PyTorch profiling harness for FashionMLP at .*fashion_mlp\.py:26/,
  );
  assert.match(script, /It IMPORTS .*fashion_mlp\.py: that file's top-level code runs/);
  assert.match(script, /"dir": ".*fashion-mnist-test"/);
});

void test('greenlens profile-torch: usage errors for a line without a model, bad shapes and unknown variants; Python errors exit 2', async () => {
  let c = io();
  assert.equal(await main(['profile-torch', 'examples/linear_heavy.py:3'], c.io), 1);
  assert.match(
    c.err.join('\n'),
    /no model site at line 3; PyTorch sites are at lines 12, 27[\s\S]*Usage: greenlens profile-torch/,
  );
  c = io();
  assert.equal(
    await main(['profile-torch', 'examples/linear_heavy.py', '--print-script'], c.io),
    0,
    'a file with one model creation needs no line',
  );
  c = io();
  assert.equal(await main(['profile-torch', 'examples/linear_heavy.py:27', '--shape', '1,a'], c.io), 1);
  assert.match(c.err.join('\n'), /--shape expects positive integers/);
  c = io();
  assert.equal(await main(['profile-torch', 'examples/linear_heavy.py:27', '--variants', 'int2'], c.io), 1);
  assert.match(c.err.join('\n'), /unknown variant "int2"/);
  c = io();
  assert.equal(await main(['profile-torch', 'examples/serve_onnx.py:1'], c.io), 1);
  c = io();
  assert.equal(
    await main(
      [
        'profile-torch',
        'examples/linear_heavy.py:27',
        '--python',
        '/nonexistent/python3',
        '--storage',
        tempDir('gl-torch-cli-'),
      ],
      c.io,
    ),
    2,
  );
  assert.match(c.err.join('\n'), /The Python interpreter "\/nonexistent\/python3" was not found/);
});
