/**
 * Reports never feed on their own output: `greenlens report` without --out writes its variants under
 * ./out/report in the analyzed folder, and later runs must not pick them up as models.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main';
import { OUTPUT_MARKER } from '../../src/repository/files';
import type { Report } from '../../src/report/types';

const ROOT = path.join(__dirname, '..', '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'gl-rerun-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false, cwd } };
}

void test('three runs of greenlens report in a folder find the same one model', async () => {
  const ws = mkdtempSync(path.join(scratch, 'ws-'));
  mkdirSync(path.join(ws, 'models'));
  copyFileSync(path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx'), path.join(ws, 'models', 'fashion_mlp.onnx'));
  const counts: number[] = [];
  for (let run = 0; run < 3; run++) {
    const c = io(ws);
    const code = await main(['report', '--format', 'json', '--budget', '1s'], c.io);
    assert.equal(code, 0, c.err.join('\n'));
    const report = JSON.parse(c.out.join('\n')) as Report;
    counts.push(report.models.filter((m) => m.id.startsWith('onnx:')).length);
  }
  assert.deepEqual(counts, [1, 1, 1]);
  // Only GreenLens's own folders are marked: --out may name a folder of the user's.
  assert.ok(existsSync(path.join(ws, 'out', 'report', 'variants', OUTPUT_MARKER)));
  assert.ok(existsSync(path.join(ws, 'out', 'report', '.cache', OUTPUT_MARKER)));
  assert.equal(existsSync(path.join(ws, 'out', 'report', OUTPUT_MARKER)), false);
});
