import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspectCommand } from '../../src/cli/commands/inspect';
import type { CliIO } from '../../src/cli/io';
import { attr, buildModel, init } from './helpers/models';

function io(cwd: string): CliIO & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { out: (t) => outText.push(t), err: (t) => errText.push(t), isTTY: false, cwd, outText, errText };
}

void test('greenlens inspect prints a table, JSON with --json, and honours --dim', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-cli-'));
  try {
    const model = buildModel({
      inputs: [['x', 1, ['batch', 16]]],
      outputs: [['y', 1, ['batch', 4]]],
      inits: [init('w', [4, 16])],
      nodes: [{ op: 'Gemm', inputs: ['x', 'w'], outputs: ['y'], attrs: [attr.i('transB', 1)] }],
    });
    writeFileSync(path.join(dir, 'm.onnx'), model);
    const text = io(dir);
    assert.equal(await inspectCommand.run(['m.onnx'], text), 0);
    const out = text.outText.join('\n');
    assert.match(out, /MACs: 64\b/);
    assert.match(out, /\[batch, 16\]\s+\[1, 16\]/);
    const json = io(dir);
    assert.equal(await inspectCommand.run(['m.onnx', '--json', '--dim', 'batch=8'], json), 0);
    const parsed = JSON.parse(json.outText.join('\n')) as {
      cost: { macs: number };
      outputs: { resolvedShape: number[] }[];
    };
    assert.equal(parsed.cost.macs, 8 * 64);
    assert.deepEqual(parsed.outputs[0]?.resolvedShape, [8, 4]);
    writeFileSync(path.join(dir, 'bad.onnx'), model.subarray(0, model.length - 7));
    const bad = io(dir);
    assert.equal(await inspectCommand.run(['bad.onnx'], bad), 2);
    assert.match(bad.errText.join('\n'), /bad\.onnx: .*(truncated|corrupt|past the end)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
