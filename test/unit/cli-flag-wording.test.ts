/** Notes written for the editor name its settings; the CLI rewrites them into the flags a command has. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagWording } from '../../src/cli/main';
import { SETTING_FLAGS } from '../../src/cli/settingsFlags';

void test('a setting the command has a flag for is named by that flag', () => {
  const text = 'Set greenlens.carbon.region for your grid; greenlens.electricity.price is a default.';
  assert.equal(flagWording(text, new Set(['region', 'price'])), 'Set --region for your grid; --price is a default.');
});

void test('a command without the flag keeps the setting name', () => {
  assert.equal(flagWording('Set greenlens.carbon.region.', new Set(['price'])), 'Set greenlens.carbon.region.');
});

void test('a command’s own name for a value is used (estimate-training’s --intensity and --gpu)', () => {
  const text = 'greenlens.carbon.intensity and greenlens.hardware.profile';
  assert.equal(flagWording(text, new Set(['intensity', 'gpu'])), '--intensity and --gpu');
});

void test('every flag of the one settings table is rewritten', () => {
  for (const [flag, key] of Object.entries(SETTING_FLAGS)) {
    assert.equal(flagWording(`see greenlens.${key}`, new Set([flag])), `see --${flag}`, flag);
  }
});
