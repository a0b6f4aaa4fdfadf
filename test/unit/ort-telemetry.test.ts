/**
 * onnxruntime-node's native library writes a device id and an event database under
 * ~/.cache/Microsoft/DeveloperTools/.onnxruntime and a mat-debug-<pid>.log in the temp folder unless its
 * telemetry is off. A real profile in a child whose home and temp folder are empty must leave neither.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.join(__dirname, '..', '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'gl-telemetry-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, relative to it. */
function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

for (const mode of ['in-process', 'worker']) {
  void test(`onnxruntime loaded ${mode === 'worker' ? 'in the profiler worker' : 'in-process'} writes no telemetry to the home or temp folder`, () => {
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const temp = mkdtempSync(path.join(scratch, 'temp-'));
    const work = mkdtempSync(path.join(scratch, 'work-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      USERPROFILE: home,
      TMPDIR: temp,
      TMP: temp,
      TEMP: temp,
    };
    // The test runner may already have it set; the code under test must set it by itself.
    delete env.ORT_DISABLE_TELEMETRY;
    delete env.XDG_CACHE_HOME;
    const child = path.join(__dirname, 'helpers', 'ortTelemetryChild.ts');
    const model = path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx');
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, mode, model, work], {
      env,
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(path.join(home, '.cache', 'Microsoft')), false, `home holds: ${listAll(home).join(', ')}`);
    const logs = listAll(temp).filter((f) => /mat-debug-\d+\.log$/.test(f));
    assert.deepEqual(logs, []);
  });
}
