/**
 * package.json declares the settings that src/settings.ts types: in titled sections by concern, each
 * setting once, with the same defaults. The CLI-only `check.*` settings are not editor settings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_SETTINGS,
  DEPLOYMENT_TARGETS,
  DIAGNOSTIC_SEVERITIES,
  SETTING_KEYS,
  SETTING_RANGES,
  type Settings,
} from '../../src/settings';

interface Section {
  id: string;
  title: string;
  order: number;
  properties: Record<
    string,
    {
      default?: unknown;
      order?: number;
      markdownDescription?: string;
      minimum?: number;
      maximum?: number;
      enum?: unknown[];
    }
  >;
}

const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: unknown };
};

function sections(): Section[] {
  const c = pkg.contributes.configuration;
  assert.ok(Array.isArray(c), 'contributes.configuration is an array of sections');
  return c as Section[];
}

void test('the settings come in four titled sections by concern, in order', () => {
  const s = sections();
  assert.deepEqual(
    s.map((x) => x.title),
    ['Energy and carbon', 'Workload and deployment', 'Editor hints', 'Profiling'],
  );
  assert.deepEqual(
    s.map((x) => x.order),
    [0, 1, 2, 3],
  );
  for (const x of s) {
    assert.match(x.id, /^greenlens\.[a-z]+$/);
    assert.ok(Object.keys(x.properties).length > 0, `${x.title} holds settings`);
    for (const [key, p] of Object.entries(x.properties)) {
      assert.ok(key.startsWith('greenlens.'), key);
      assert.ok((p.markdownDescription ?? '').length > 20, `${key} is documented`);
      assert.equal(typeof p.order, 'number', `${key} has its place in the section`);
    }
  }
});

void test('every editor setting of the typed source is declared exactly once, with its default', () => {
  const seen = new Map<string, unknown>();
  for (const x of sections()) {
    for (const [key, p] of Object.entries(x.properties)) {
      assert.ok(!seen.has(key), `${key} is declared once`);
      seen.set(key, p.default);
    }
  }
  for (const [field, raw] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) {
    if (raw.startsWith('check.')) continue;
    assert.ok(seen.has(`greenlens.${raw}`), `greenlens.${raw} is declared`);
    assert.deepEqual(seen.get(`greenlens.${raw}`), DEFAULT_SETTINGS[field], `greenlens.${raw} has the typed default`);
  }
});

void test('every declared range and list of choices is the one of src/settings.ts', () => {
  const properties = Object.assign({}, ...sections().map((x) => x.properties)) as Section['properties'];
  let compared = 0;
  for (const [field, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) {
    const range = (SETTING_RANGES as Partial<Record<keyof Settings, { min: number; max: number }>>)[field];
    const p = properties[`greenlens.${key}`];
    if (!range || !p) continue;
    compared++;
    assert.deepEqual([p.minimum, p.maximum], [range.min, range.max], `${key} range`);
  }
  assert.ok(compared >= 5, `only ${compared} ranges compared`);
  assert.deepEqual(properties['greenlens.deployment.target']?.enum, [...DEPLOYMENT_TARGETS]);
  assert.deepEqual(properties['greenlens.diagnostics.severity']?.enum, [...DIAGNOSTIC_SEVERITIES]);
});
