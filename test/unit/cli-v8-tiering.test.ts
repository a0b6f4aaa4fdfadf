import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tieringFlags } from '../../src/cli/v8Tiering';

void test('tier-up flags only for the V8 versions they were measured on, and none when turned off', () => {
  assert.deepEqual(tieringFlags('11.3.244.8-node.38', {}), ['--interrupt-budget=600000']);
  assert.deepEqual(tieringFlags('13.6.233.17-node.53', {}), ['--invocation-count-for-maglev=4000', '--invocation-count-for-turbofan=30000']);
  assert.deepEqual(tieringFlags('12.4.254.21-node.57', {}), ['--invocation-count-for-turbofan=12000']);
  assert.deepEqual(tieringFlags('10.2.154.26-node.26', {}), []);
  assert.deepEqual(tieringFlags('14.0.1', {}), []);
  assert.deepEqual(tieringFlags('garbage', {}), []);
  assert.deepEqual(tieringFlags('11.3.244.8-node.38', { GREENLENS_V8_TIERING: '0' }), []);
});

void test('this Node.js accepts the flags chosen for its V8 (an unknown flag prints an error on every run)', () => {
  const flags = tieringFlags(process.versions.v8, {});
  const r = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'ok');
});
