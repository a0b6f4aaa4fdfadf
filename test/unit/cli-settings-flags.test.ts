/**
 * The CLI's flags are the editor's settings: each flag becomes the same raw setting, goes through the same
 * sanitizer and gets the same message as a bad setting, naming the flag; the energy modules accept exactly
 * the values the settings accept.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { EXIT } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { REPORT_SETTING_FLAGS, SETTING_FLAGS, settingsFromFlags } from '../../src/cli/settingsFlags';
import { resolveCarbonIntensity } from '../../src/energy/carbon';
import { resolveTariff } from '../../src/energy/cost';
import type { Report } from '../../src/report/types';
import { sanitizeSettings, SETTING_RANGES } from '../../src/settings';
import { tempDir } from './helpers/tempDir';

async function run(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A bad text for each flag: not a number, out of range, or not a known choice. */
const BAD: Record<keyof typeof SETTING_FLAGS, string> = {
  'inferences-per-day': '-1',
  price: '99',
  currency: 'euros',
  region: 'not a region!',
  'carbon-intensity': 'lots',
  tolerance: '101',
  hardware: '',
  'deploy-target': 'tpu',
  'deploy-batch': '0',
  threshold: '-3',
  'new-site-gmacs': '2e6',
  'fail-on': 'loud',
};

void test('a bad flag gets the message of the same bad setting, with the flag for the setting id', () => {
  for (const [flag, key] of Object.entries(SETTING_FLAGS)) {
    const text = BAD[flag as keyof typeof SETTING_FLAGS];
    const { raw, names } = settingsFromFlags({ [flag]: text }, SETTING_FLAGS);
    const fromFlag = sanitizeSettings(raw, names).problems;
    const fromSetting = sanitizeSettings({ [key]: raw[key] }).problems;
    assert.equal(fromFlag.length, 1, `${flag} ${JSON.stringify(text)}`);
    assert.equal(fromFlag[0]!.message, fromSetting[0]!.message.replace(`greenlens.${key}`, `--${flag}`));
    assert.match(fromFlag[0]!.message, new RegExp(`^--${flag} `));
  }
});

void test('a number typed for a numeric setting is a number; text for a text setting stays text', () => {
  const { raw } = settingsFromFlags(
    { price: '0.31', currency: '123', region: 'FRA', 'deploy-batch': 'eight' },
    REPORT_SETTING_FLAGS,
  );
  assert.deepEqual(raw, {
    'electricity.price': 0.31,
    'electricity.currency': '123',
    'carbon.region': 'FRA',
    'deployment.batch': 'eight',
  });
});

void test('estimate-training refuses a bad price with the settings’ message', async () => {
  const r = await run(
    process.cwd(),
    'estimate-training',
    '--arch',
    'resnet50',
    '--gpu',
    'RTX 3090',
    '--epochs',
    '1',
    '--images',
    '100',
    '--price',
    '99',
  );
  assert.equal(r.code, EXIT.usage, r.err);
  assert.match(r.err, /--price must be a number from 0 to 10; got 99\.$/m);
});

void test('greenlens report reads greenlens.json, flags on top, and names the file’s key in a warning', async () => {
  const ws = tempDir('gl-flags-');
  writeFileSync(path.join(ws, 'app.py'), 'import torchvision\nmodel = torchvision.models.resnet18()\n');
  writeFileSync(
    path.join(ws, 'greenlens.json'),
    JSON.stringify({ electricity: { price: 0.3, currency: 'EUR' }, workload: { inferencesPerDay: -5 } }),
  );
  const fromFile = await run(ws, 'report', '.', '--format', 'json', '--no-profile');
  assert.equal(fromFile.code, 0, fromFile.err);
  const a = (JSON.parse(fromFile.out) as Report).assumptions;
  assert.deepEqual([a.electricity.perKWh, a.electricity.currency], [0.3, 'EUR']);
  assert.match(
    fromFile.err,
    /warning: greenlens\.json: workload\.inferencesPerDay must be a number from 0 to 1000000000000; got -5\./,
  );
  const flagged = await run(ws, 'report', '.', '--format', 'json', '--no-profile', '--price', '0.2');
  assert.equal((JSON.parse(flagged.out) as Report).assumptions.electricity.perKWh, 0.2);
});

void test('tariff and carbon intensity accept exactly the values the settings accept', () => {
  const edges = (r: { min: number; max: number }): number[] => [
    r.min - 1e-9,
    r.min,
    (r.min + r.max) / 2,
    r.max,
    r.max + 1e-9,
  ];
  for (const price of edges(SETTING_RANGES.electricityPrice)) {
    const setting = sanitizeSettings({ 'electricity.price': price }).problems.length === 0;
    assert.equal(resolveTariff({ electricityPrice: price }).notes.length === 0, setting, `price ${price}`);
  }
  for (const g of edges(SETTING_RANGES.carbonIntensity)) {
    const setting = sanitizeSettings({ 'carbon.intensity': g }).problems.length === 0;
    assert.equal(
      resolveCarbonIntensity({ carbonIntensity: g }).method === 'your carbon intensity setting',
      setting,
      `intensity ${g}`,
    );
  }
});
