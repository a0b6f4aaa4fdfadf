import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Commands, InternalCommands } from '../../src/vscode/commands/ids';
import { errorMessage, failureMessage, isCancellation } from '../../src/vscode/commands/failure';
import { TorchProfileError } from '../../src/profiler/torch/types';

interface Manifest {
  contributes: {
    commands: { command: string; title: string }[];
    menus?: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const table = Object.values(Commands) as string[];
const internal = Object.values(InternalCommands) as string[];

void test('every command of the table is contributed by package.json, and every contributed command is in the table', () => {
  assert.deepEqual([...table].sort(), [...contributed].sort());
});

void test('internal commands are not contributed, and no id appears twice', () => {
  for (const id of internal) assert.ok(!contributed.includes(id), `${id} is internal but package.json contributes it`);
  const all = [...table, ...internal];
  assert.equal(new Set(all).size, all.length, 'an id is listed twice');
  for (const id of all) assert.match(id, /^greenlens\.[A-Za-z.]+$/);
});

void test('menus and keybindings name only commands of the table', () => {
  const named = [
    ...Object.values(manifest.contributes.menus ?? {})
      .flat()
      .map((m) => m.command),
    ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
  ].filter((c): c is string => typeof c === 'string');
  assert.ok(named.length > 0, 'package.json has menus');
  for (const id of named)
    assert.ok(table.includes(id), `${id} is in a menu or keybinding but not in the command table`);
});

void test('cancellations are told apart from failures', () => {
  const canceled = new Error('Canceled');
  canceled.name = 'Canceled';
  assert.ok(isCancellation(canceled), "VS Code's CancellationError");
  const signal = AbortSignal.abort();
  assert.ok(isCancellation(signal.reason), "an aborted signal's AbortError");
  assert.ok(isCancellation(new TorchProfileError('stopped', 'cancelled')), "the PyTorch profiler's cancelled error");
  assert.ok(!isCancellation(new TorchProfileError('torch is not installed', 'no-torch')));
  assert.ok(!isCancellation(new Error('The model file is truncated.')));
  assert.ok(!isCancellation(undefined));
  assert.ok(!isCancellation('Canceled'));
});

void test('a failure message names the command, says what went wrong and where the details are', () => {
  assert.equal(
    failureMessage('Profile ONNX Model', new Error('The file is not an ONNX model.')),
    'GreenLens: Profile ONNX Model failed: The file is not an ONNX model. Details are in the GreenLens output channel.',
  );
  assert.match(failureMessage('Show Report', 'boom'), /^GreenLens: Show Report failed: boom\. /);
  assert.equal(errorMessage(new Error('  ')), 'an unexpected error without a message');
  assert.equal(errorMessage({ weird: true }), 'an unexpected error without a message');
});
