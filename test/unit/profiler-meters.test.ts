/**
 * GPU energy from NVML's cumulative counter read through nvidia-smi: parsing the counter output in the
 * fixtures (test/fixtures/meters, see its README for where the shapes come from), differences over
 * several GPUs, a driver reload, the short-loop caveat, and the choice between the counter and power
 * integration, through a fake exec and through a fake nvidia-smi executable.
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  chooseMeter,
  energyDeltaJ,
  NvidiaSmiMeter,
  NvmlEnergyMeter,
  parseEnergyCounters,
  type SmiExec,
} from '../../src/profiler/meters/index';
import { tempDir } from './helpers/tempDir';

const FIX = path.join(__dirname, '..', 'fixtures', 'meters');
const fixture = (f: string) => readFileSync(path.join(FIX, f), 'utf8');

/** An exec that answers each energy query with the next fixture file and records the arguments. */
function sequence(files: string[]): { exec: SmiExec; calls: string[][] } {
  const calls: string[][] = [];
  let i = 0;
  return {
    calls,
    exec: (_binary, args) => {
      calls.push(args);
      return fixture(files[Math.min(i++, files.length - 1)] ?? '');
    },
  };
}

void test('counter output: one value per GPU in mJ; [N/A], [Not Supported] and an unknown field give reasons', () => {
  assert.deepEqual(parseEnergyCounters(fixture('nvml-2gpu-before.csv')), { ok: true, mj: [4851203117, 4790551862] });
  const na = parseEnergyCounters(fixture('nvml-na.csv'));
  assert.ok(!na.ok && /no energy counter \(\[N\/A\]/.test(na.reason));
  const ns = parseEnergyCounters(fixture('nvml-not-supported.csv'));
  assert.ok(!ns.ok && /Not Supported/.test(ns.reason));
  const field = parseEnergyCounters(fixture('nvml-invalid-field.txt'));
  assert.ok(!field.ok && /no total_energy_consumption field/.test(field.reason));
  assert.ok(!parseEnergyCounters('').ok);
  assert.ok(!parseEnergyCounters('12 W\n').ok, 'units are refused, not misread');
});

void test('energy between two readings is summed over GPUs; a reloaded driver is an error, not a negative figure', () => {
  const before = parseEnergyCounters(fixture('nvml-2gpu-before.csv'));
  const after = parseEnergyCounters(fixture('nvml-2gpu-after.csv'));
  const reload = parseEnergyCounters(fixture('nvml-2gpu-after-driver-reload.csv'));
  assert.ok(before.ok && after.ok && reload.ok);
  assert.ok(Math.abs(energyDeltaJ(before.mj, after.mj) - (552.785 + 446.288)) < 1e-6);
  assert.throws(() => energyDeltaJ(before.mj, reload.mj), /driver was reloaded/);
  assert.throws(() => energyDeltaJ([1, 2], [3]), /GPU count changed/);
});

void test('the NVML meter reads the counter at begin and end, and flags loops short against its update period', () => {
  let now = 0;
  const { exec, calls } = sequence([
    'nvml-2gpu-before.csv',
    'nvml-2gpu-after.csv',
    'nvml-2gpu-before.csv',
    'nvml-2gpu-after.csv',
  ]);
  const meter = new NvmlEnergyMeter('nvidia-smi', exec, () => now);
  meter.begin();
  now = 10_000;
  assert.ok(Math.abs(meter.end() - 999.073) < 1e-6);
  assert.equal(meter.note, undefined, 'a 10 s loop needs no caveat');
  assert.deepEqual(calls[0], ['--query-gpu=total_energy_consumption', '--format=csv,noheader,nounits']);
  meter.begin();
  now += 500;
  meter.end();
  assert.match(meter.note ?? '', /lasted 0\.50 s .* off by up to 20 %/);
  assert.throws(() => new NvmlEnergyMeter('nvidia-smi', exec).end(), /before begin/);
  const reloaded = new NvmlEnergyMeter(
    'nvidia-smi',
    sequence(['nvml-2gpu-before.csv', 'nvml-2gpu-after-driver-reload.csv']).exec,
  );
  reloaded.begin();
  assert.throws(() => reloaded.end(), /went backwards/);
});

void test('GPU runs prefer the energy counter and fall back to power integration with the reason', () => {
  const counter = chooseMeter({ device: 'cuda', exec: sequence(['nvml-2gpu-before.csv']).exec });
  assert.ok(counter.meter instanceof NvmlEnergyMeter);
  assert.equal(counter.meter.name, 'nvml:total-energy-counter');
  assert.equal(counter.note, undefined);
  const unknownField: SmiExec = () => {
    throw Object.assign(new Error('Command failed: nvidia-smi'), {
      stdout: fixture('nvml-invalid-field.txt'),
      stderr: '',
    });
  };
  const fallback = chooseMeter({ device: 'cuda', exec: unknownField });
  assert.ok(fallback.meter instanceof NvidiaSmiMeter);
  assert.match(
    fallback.note ?? '',
    /NVML energy counter not used: this nvidia-smi has no total_energy_consumption field.*integrated instead/,
  );
  const missing = chooseMeter({ device: 'cuda', nvidiaSmi: path.join(tmpdir(), 'no-such-nvidia-smi') });
  assert.match(missing.note ?? '', /not found: no NVIDIA driver/);
});

void test('through a fake nvidia-smi executable: counters read by execFileSync, an unknown field exits non-zero', (t) => {
  if (process.platform === 'win32') {
    t.skip('shell-script fake');
    return;
  }
  const dir = tempDir('gl-smi-');
  const counter = path.join(dir, 'count');
  writeFileSync(counter, '0');
  // Answers the first two queries (the probe, then begin) with the "before" fixture, later ones with "after".
  const smi = path.join(dir, 'nvidia-smi');
  writeFileSync(
    smi,
    `#!/bin/sh\nn=$(cat "${counter}"); echo $((n + 1)) > "${counter}"\nif [ "$n" -lt 2 ]; then cat "${path.join(FIX, 'nvml-2gpu-before.csv')}"; else cat "${path.join(FIX, 'nvml-2gpu-after.csv')}"; fi\n`,
  );
  chmodSync(smi, 0o755);
  const choice = chooseMeter({ device: 'cuda', nvidiaSmi: smi });
  assert.ok(choice.meter instanceof NvmlEnergyMeter);
  choice.meter.begin();
  assert.ok(Math.abs(choice.meter.end() - 999.073) < 1e-6);
  const old = path.join(dir, 'old-nvidia-smi');
  writeFileSync(old, `#!/bin/sh\ncat "${path.join(FIX, 'nvml-invalid-field.txt')}"\nexit 2\n`);
  chmodSync(old, 0o755);
  const fallback = chooseMeter({ device: 'cuda', nvidiaSmi: old });
  assert.ok(fallback.meter instanceof NvidiaSmiMeter);
  assert.match(fallback.note ?? '', /no total_energy_consumption field/);
});
