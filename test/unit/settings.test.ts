import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sanitizeSettings,
  DEFAULT_SETTINGS,
  checkDuration,
  DURATION_LIMITS,
  MAX_TIMER_MS,
  timerDelay,
} from '../../src/settings';

void test('empty configuration gives the defaults and no problems', () => {
  const { settings, problems } = sanitizeSettings({});
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.equal(problems.length, 0);
});

void test('valid values are kept', () => {
  const { settings, problems } = sanitizeSettings({
    'electricity.price': 0.31,
    'electricity.currency': 'eur',
    'carbon.region': 'FRA',
    'carbon.intensity': 56,
    'profiling.timeBudgetSeconds': 30,
    'diagnostics.severity': 'warning',
    'codeLens.enabled': false,
  });
  assert.equal(settings.electricityPrice, 0.31);
  assert.equal(settings.currency, 'EUR');
  assert.equal(settings.carbonRegion, 'FRA');
  assert.equal(settings.carbonIntensity, 56);
  assert.equal(settings.profilingBudgetSeconds, 30);
  assert.equal(settings.diagnosticsSeverity, 'warning');
  assert.equal(settings.codeLensEnabled, false);
  assert.deepEqual(problems, []);
});

void test('bad values fall back to defaults and each is reported', () => {
  const { settings, problems } = sanitizeSettings({
    'electricity.price': -1,
    'electricity.currency': 'euros',
    'carbon.intensity': Number.NaN,
    'workload.inferencesPerDay': 'many',
    'diagnostics.severity': 'loud',
    'codeLens.enabled': 'yes',
    'carbon.region': 'not a region!',
  });
  assert.equal(settings.electricityPrice, DEFAULT_SETTINGS.electricityPrice);
  assert.equal(settings.currency, 'USD');
  assert.equal(settings.carbonIntensity, null);
  assert.equal(settings.inferencesPerDay, DEFAULT_SETTINGS.inferencesPerDay);
  assert.equal(settings.diagnosticsSeverity, 'default');
  assert.equal(settings.codeLensEnabled, true);
  assert.equal(settings.carbonRegion, '');
  assert.equal(problems.length, 7);
  for (const p of problems) assert.match(p.message, /default/i);
});

void test('cloud regions are accepted', () => {
  assert.equal(sanitizeSettings({ 'carbon.region': 'aws:us-east-1' }).settings.carbonRegion, 'aws:us-east-1');
});

void test('greenlens.exclude keeps non-empty patterns and reports a value that is not a list of strings', () => {
  assert.deepEqual(sanitizeSettings({ exclude: ['data/', '  ', ' *_pb2.py '] }).settings.exclude, [
    'data/',
    '*_pb2.py',
  ]);
  const bad = sanitizeSettings({ exclude: 'data/' });
  assert.deepEqual(bad.settings.exclude, []);
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0]!.message, /greenlens\.exclude must be a list/);
});

void test('timer delays are clamped to what setTimeout honours', () => {
  assert.equal(MAX_TIMER_MS, 2147483647);
  assert.equal(timerDelay(1e12), MAX_TIMER_MS);
  assert.equal(timerDelay(Infinity), MAX_TIMER_MS);
  assert.equal(timerDelay(NaN), MAX_TIMER_MS);
  assert.equal(timerDelay(-5), 0);
  assert.equal(timerDelay(250), 250);
});

void test('durations outside their limits get a message that says the allowed range', () => {
  assert.deepEqual(checkDuration('--budget', 60_000, DURATION_LIMITS.budget), { ms: 60_000 });
  assert.deepEqual(checkDuration('--budget', 1e12, DURATION_LIMITS.budget), {
    problem: '--budget must be from 100 ms to 24 h; got 1000000000 s',
  });
  assert.deepEqual(checkDuration('--timeout', 500, DURATION_LIMITS.timeout), {
    problem: '--timeout must be from 1 s to 24 h; got 500 ms',
  });
  assert.ok('problem' in checkDuration('--budget', NaN, DURATION_LIMITS.budget));
});
