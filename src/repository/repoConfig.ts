/**
 * The repository's own GreenLens configuration: `greenlens.json` at the folder's root, or else a
 * `[tool.greenlens]` table in `pyproject.toml`. It holds what a team agrees on (workload, region,
 * deployment target, thresholds of `greenlens check`, excluded paths) and is read by the CLI and the
 * extension alike. Keys are those of the editor settings without the `greenlens.` prefix, nested
 * (`{"carbon": {"region": "FRA"}}`) or dotted (`"carbon.region"`). Pure Node: no vscode.
 */
import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { FileAccessError, openRegularFileSync } from '../fileAccess';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { SETTING_KEYS } from '../settings';

/** Settings a repository may set. Per-user concerns (code lenses, diagnostics, profiling budget) stay out. */
export const REPO_KEYS: readonly string[] = [
  SETTING_KEYS.electricityPrice,
  SETTING_KEYS.currency,
  SETTING_KEYS.carbonRegion,
  SETTING_KEYS.carbonIntensity,
  SETTING_KEYS.hardwareProfile,
  SETTING_KEYS.inferencesPerDay,
  SETTING_KEYS.accuracyTolerance,
  SETTING_KEYS.exclude,
  SETTING_KEYS.deploymentTarget,
  SETTING_KEYS.deploymentBatch,
  SETTING_KEYS.checkThreshold,
  SETTING_KEYS.checkNewSiteGmacs,
  SETTING_KEYS.checkFindingSeverity,
];

/** A configuration file that exists but cannot be used. */
export class RepoConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface RepoConfig {
  /** The file it came from, relative to the folder (`greenlens.json` or `pyproject.toml`); absent when none. */
  source?: string;
  /** Values keyed as in SETTING_KEYS, for sanitizeSettings. */
  raw: Record<string, unknown>;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Nested tables to dotted keys; a key that is not a repository setting is an error naming it. */
function flatten(
  table: Record<string, unknown>,
  source: string,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(table)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (REPO_KEYS.includes(key)) out[key] = v;
    else if (isTable(v) && REPO_KEYS.some((r) => r.startsWith(`${key}.`))) flatten(v, source, key, out);
    else throw new RepoConfigError(`${source}: unknown setting "${key}"; known: ${REPO_KEYS.join(', ')}.`);
  }
  return out;
}

/** A configuration file is a few hundred bytes; a larger one is refused rather than read into memory. */
export const MAX_CONFIG_BYTES = 1 << 20;

/**
 * The file's text, or undefined when there is none. Opened as a regular file only (a named pipe of that
 * name in a hostile repository cannot block the editor) and size-checked before it is read.
 */
function readText(file: string): string | undefined {
  let fd: number;
  try {
    fd = openRegularFileSync(file);
  } catch (err) {
    if (err instanceof FileAccessError && err.code === 'missing') return undefined;
    throw new RepoConfigError(`${path.basename(file)} cannot be read: ${(err as Error).message}.`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_CONFIG_BYTES)
      throw new RepoConfigError(
        `${path.basename(file)} is ${size} bytes; a configuration file may have at most ${MAX_CONFIG_BYTES}.`,
      );
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads the folder's configuration; none is an empty one. Throws RepoConfigError on a file that is unusable. */
export function readRepoConfig(folder: string): RepoConfig {
  const json = readText(path.join(folder, 'greenlens.json'));
  if (json !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new RepoConfigError(`greenlens.json is not valid JSON: ${(err as Error).message}`);
    }
    if (!isTable(data)) throw new RepoConfigError('greenlens.json must hold one JSON object.');
    const { $schema: _schema, ...rest } = data;
    return { source: 'greenlens.json', raw: flatten(rest, 'greenlens.json') };
  }
  const toml = readText(path.join(folder, 'pyproject.toml'));
  if (toml === undefined) return { raw: {} };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(toml) as Record<string, unknown>;
  } catch (err) {
    throw new RepoConfigError(`pyproject.toml is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const tool = doc['tool'];
  const table = isTable(tool) ? tool['greenlens'] : undefined;
  if (table === undefined) return { raw: {} };
  if (!isTable(table)) throw new RepoConfigError('pyproject.toml: [tool.greenlens] must be a table.');
  return { source: 'pyproject.toml', raw: flatten(table, 'pyproject.toml [tool.greenlens]') };
}

/** A setting's values per scope, as the editor's configuration reports them. */
export interface ScopedValue {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The value the editor uses for one setting: one set for the workspace or folder wins (the user chose it
 * for this repository), then the repository's file (the team's choice), then the user's global value;
 * undefined leaves the default to sanitizeSettings.
 */
export function layeredValue(key: string, scoped: ScopedValue | undefined, repo: Record<string, unknown>): unknown {
  const local = scoped?.workspaceFolderValue ?? scoped?.workspaceValue;
  if (local !== undefined) return local;
  if (key in repo) return repo[key];
  return scoped?.globalValue;
}
