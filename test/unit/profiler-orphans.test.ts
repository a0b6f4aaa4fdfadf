/**
 * No worker outlives the CLI: killed with SIGKILL (nothing of it runs) or SIGTERM, while its profiler
 * worker is stuck in one native onnxruntime run() or its Python harness measures, the worker is gone
 * within a few seconds instead of running on at full CPU until its job's timeout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EXIT } from '../../src/cli/io';
import { childrenOf, isRunning, spawnCli, waitExit, waitFor } from './helpers/cliProcess';
import { hangingModel } from './helpers/hangingModel';

const LINUX = process.platform === 'linux';
const dir = mkdtempSync(path.join(tmpdir(), 'gl-orphans-'));
const started: number[] = [];
after(() => {
  // Whatever the outcome, nothing this test started may keep running.
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const model = path.join(dir, 'hang.onnx');
writeFileSync(model, hangingModel());

/** Starts a long command and waits until its worker (the CLI's first child) has run for a while. */
async function cliWithWorker(args: string[], settleMs: number) {
  const cli = spawnCli(args);
  const exited = waitExit(cli, 120_000);
  const worker = await waitFor('the worker', () => childrenOf(cli.pid!)[0], 60_000);
  started.push(worker);
  await new Promise((r) => setTimeout(r, settleMs));
  assert.ok(isRunning(worker), 'the worker is busy before the CLI is stopped');
  return { cli, worker, exited };
}

const gone = (pid: number) => waitFor(`process ${pid} to end`, () => (isRunning(pid) ? undefined : true), 5_000);

void test(
  'the profiler worker ends within seconds of the CLI being killed with SIGKILL',
  { skip: !LINUX && 'reads /proc' },
  async () => {
    const { cli, worker, exited } = await cliWithWorker(
      ['profile', model, '--variants', 'opt-all', '--budget', '10m', '--no-cache', '--storage', path.join(dir, 's1')],
      2_000,
    );
    cli.kill('SIGKILL');
    await exited;
    await gone(worker);
  },
);

void test('SIGTERM stops the profiler worker and exits 143', { skip: !LINUX && 'reads /proc' }, async () => {
  const { cli, worker, exited } = await cliWithWorker(
    ['profile', model, '--variants', 'opt-all', '--budget', '10m', '--no-cache', '--storage', path.join(dir, 's2')],
    2_000,
  );
  cli.kill('SIGTERM');
  assert.equal((await exited).code, EXIT.terminated);
  await gone(worker);
});

const PYTHON = '/usr/bin/python3';
const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** A module whose forward pass takes ten minutes: the harness is measuring when the CLI dies. */
const SLOW_MODULE = `import time

import torch
from torch import nn


class Slow(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        end = time.time() + 600
        while time.time() < end:
            x = torch.tanh(self.fc(x))
        return x


model = Slow()
`;

void test(
  'the PyTorch harness ends within seconds of the CLI being killed with SIGKILL',
  { skip: (!LINUX || !hasTorch) && 'needs Linux and torch in /usr/bin/python3' },
  async () => {
    const file = path.join(dir, 'slow.py');
    writeFileSync(file, SLOW_MODULE);
    const args = [
      'profile-torch',
      `${file}:19`,
      '--shape',
      '1,4',
      '--python',
      PYTHON,
      '--budget',
      '10m',
      '--timeout',
      '10m',
      '--storage',
      path.join(dir, 't1'),
    ];
    // Long enough for Python to import torch and enter the ten-minute forward pass, where it prints nothing.
    const { cli, worker, exited } = await cliWithWorker(args, 8_000);
    cli.kill('SIGKILL');
    await exited;
    await gone(worker);
  },
);
