/**
 * Settings for a CLI run: the repository's configuration file with the command's flags on top, turned into
 * the editor's raw settings and sanitized by the one source of defaults and ranges (src/settings.ts), so
 * that a bad flag gets the same message as a bad setting, naming the flag or the file's key. The editor
 * falls back to a default on a bad value and says so; a CI run refuses instead (`cliSettings`), so that a
 * typo never passes a gate with the wrong figures.
 */
import type { RepoConfig } from '../repository/repoConfig';
import { isNumericSettingKey, sanitizeSettings, SETTING_KEYS, type SettingLabel, type Settings } from '../settings';
import { CliUsageError } from './io';

/** CLI flag name (without `--`) → setting key as in SETTING_KEYS. */
export type FlagMap = Readonly<Record<string, string>>;

/** Every flag that sets a setting, by the name the commands give it. */
export const SETTING_FLAGS = Object.freeze({
  'inferences-per-day': SETTING_KEYS.inferencesPerDay,
  price: SETTING_KEYS.electricityPrice,
  currency: SETTING_KEYS.currency,
  region: SETTING_KEYS.carbonRegion,
  'carbon-intensity': SETTING_KEYS.carbonIntensity,
  tolerance: SETTING_KEYS.accuracyTolerance,
  hardware: SETTING_KEYS.hardwareProfile,
  'deploy-target': SETTING_KEYS.deploymentTarget,
  'deploy-batch': SETTING_KEYS.deploymentBatch,
  threshold: SETTING_KEYS.checkThreshold,
  'new-site-gmacs': SETTING_KEYS.checkNewSiteGmacs,
  'fail-on': SETTING_KEYS.checkFindingSeverity,
} satisfies FlagMap);

/** The flags that set a report's assumptions (`demo`, `report`). */
export const REPORT_SETTING_FLAGS: FlagMap = pick([
  'inferences-per-day',
  'price',
  'currency',
  'region',
  'carbon-intensity',
  'tolerance',
  'hardware',
  'deploy-target',
  'deploy-batch',
]);

/** Some of SETTING_FLAGS. */
export function pick(names: readonly (keyof typeof SETTING_FLAGS)[]): FlagMap {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, SETTING_FLAGS[n]])));
}

/** Raw settings keyed as in SETTING_KEYS, and how a message names each: by its flag, file key or setting. */
export interface RawCliSettings {
  raw: Record<string, unknown>;
  names: SettingLabel;
}

/**
 * The repository's configuration (if given) with the flags in `values` on top. A flag's text is read as a
 * number for a numeric setting when it is one; otherwise it stays text, so that the sanitizer's message
 * quotes what was typed.
 */
export function settingsFromFlags(
  values: Readonly<Record<string, unknown>>,
  flags: FlagMap,
  config?: RepoConfig,
): RawCliSettings {
  const raw: Record<string, unknown> = { ...config?.raw };
  const fromFlag = new Map<string, string>();
  for (const [flag, key] of Object.entries(flags)) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    const asNumber = Number(v);
    raw[key] = isNumericSettingKey(key) && v.trim() !== '' && Number.isFinite(asNumber) ? asNumber : v;
    fromFlag.set(key, `--${flag}`);
  }
  const fromFile = (key: string): string =>
    config?.source !== undefined && key in config.raw ? `${config.source}: ${key}` : `greenlens.${key}`;
  return { raw, names: (key) => fromFlag.get(key) ?? fromFile(key) };
}

/** Sanitized settings, or a usage error that lists every bad value by its flag or file key. */
export function cliSettings(raw: Record<string, unknown>, names: SettingLabel): Settings {
  const { settings, problems } = sanitizeSettings(raw, names);
  if (problems.length) throw new CliUsageError(problems.map((p) => p.message.replace(/ Using .*$/, '')).join('\n'));
  return settings;
}
