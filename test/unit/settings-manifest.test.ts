/**
 * package.json restates the settings for VS Code's settings editor (it must be static JSON); this keeps
 * its defaults, ranges and choices equal to src/settings.ts, the one source the code reads.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, DEPLOYMENT_TARGETS, DIAGNOSTIC_SEVERITIES, SETTING_KEYS, SETTING_RANGES, type Settings } from '../../src/settings';

interface Contributed { default?: unknown; minimum?: number; maximum?: number; enum?: unknown[] }

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Contributed> } } };
const properties = manifest.contributes.configuration.properties;

void test('every contributed GreenLens setting has the default, range and choices of src/settings.ts', () => {
  let compared = 0;
  for (const [field, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) {
    const p = properties[`greenlens.${key}`];
    if (!p) continue;
    compared++;
    const dflt = DEFAULT_SETTINGS[field];
    assert.deepEqual(p.default ?? null, dflt, `${key} default`);
    const range = (SETTING_RANGES as Partial<Record<keyof Settings, { min: number; max: number }>>)[field];
    if (range) assert.deepEqual([p.minimum, p.maximum], [range.min, range.max], `${key} range`);
  }
  assert.ok(compared >= 12, `only ${compared} settings compared`);
  assert.deepEqual(properties['greenlens.deployment.target']?.enum, [...DEPLOYMENT_TARGETS]);
  assert.deepEqual(properties['greenlens.diagnostics.severity']?.enum, [...DIAGNOSTIC_SEVERITIES]);
});
