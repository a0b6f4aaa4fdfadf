/**
 * Settings for a CLI run: the repository's configuration file with the command's flags on top, sanitized
 * by the one source of defaults and ranges (src/settings.ts). The editor falls back to a default on a bad
 * value and says so; a CI run refuses instead, naming the flag or the file's key, so that a typo never
 * passes a gate with the wrong figures.
 */
import { sanitizeSettings, type Settings } from '../settings';
import { CliUsageError } from './io';

/** CLI flag name → setting key as in SETTING_KEYS. */
export type FlagMap = Record<string, string>;

export function cliSettings(raw: Record<string, unknown>, names: (key: string) => string): Settings {
  const { settings, problems } = sanitizeSettings(raw, names);
  if (problems.length) throw new CliUsageError(problems.map((p) => p.message.replace(/ Using .*$/, '')).join('\n'));
  return settings;
}
