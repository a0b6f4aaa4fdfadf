/**
 * The repository configuration: greenlens.json before pyproject.toml, nested and dotted keys, only the
 * settings a repository may set, and the editor's precedence (workspace or folder value, then the file,
 * then the user's global value).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { layeredValue, MAX_CONFIG_BYTES, readRepoConfig } from '../../src/repository/repoConfig';

const dir = mkdtempSync(path.join(tmpdir(), 'gl-repocfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void test('greenlens.json wins over pyproject.toml; nested and dotted keys flatten alike', () => {
  writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.greenlens]\n"carbon.region" = "DEU"\n');
  assert.deepEqual(readRepoConfig(dir), { source: 'pyproject.toml', raw: { 'carbon.region': 'DEU' } });
  writeFileSync(
    path.join(dir, 'greenlens.json'),
    JSON.stringify({ $schema: 'x', carbon: { region: 'FRA' }, 'workload.inferencesPerDay': 5, exclude: ['a/**'] }),
  );
  assert.deepEqual(readRepoConfig(dir), {
    source: 'greenlens.json',
    raw: { 'carbon.region': 'FRA', 'workload.inferencesPerDay': 5, exclude: ['a/**'] },
  });
});

void test('per-user settings are not a repository’s to set', () => {
  const d = mkdtempSync(path.join(dir, 'user-'));
  writeFileSync(path.join(d, 'greenlens.json'), '{"profiling": {"timeBudgetSeconds": 5}}');
  assert.throws(() => readRepoConfig(d), /unknown setting "profiling"/);
});

void test('a folder without configuration has an empty one', () => {
  assert.deepEqual(readRepoConfig(mkdtempSync(path.join(dir, 'none-'))), { raw: {} });
});

void test('editor precedence: workspace or folder value, then the file, then the user’s global value', () => {
  const repo = { 'carbon.region': 'FRA' };
  assert.equal(layeredValue('carbon.region', { globalValue: 'USA' }, repo), 'FRA');
  assert.equal(layeredValue('carbon.region', { globalValue: 'USA', workspaceValue: 'DEU' }, repo), 'DEU');
  assert.equal(layeredValue('carbon.region', { workspaceValue: 'DEU', workspaceFolderValue: 'ITA' }, repo), 'ITA');
  assert.equal(layeredValue('carbon.region', { globalValue: 'USA' }, {}), 'USA');
  assert.equal(layeredValue('carbon.region', undefined, {}), undefined);
});

void test(
  'a named pipe or an oversized file is refused without blocking or reading it',
  { skip: process.platform === 'win32' && 'named pipes' },
  () => {
    const fifo = mkdtempSync(path.join(dir, 'fifo-'));
    execFileSync('mkfifo', [path.join(fifo, 'greenlens.json')]);
    assert.throws(() => readRepoConfig(fifo), /greenlens\.json cannot be read: .*not a file/);
    const big = mkdtempSync(path.join(dir, 'big-'));
    writeFileSync(path.join(big, 'pyproject.toml'), `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    assert.throws(() => readRepoConfig(big), /pyproject\.toml is \d+ bytes; a configuration file may have at most/);
  },
);
