/**
 * The typed settings of GreenLens with their defaults and sanitising. Pure: the VS Code layer reads
 * WorkspaceConfiguration into a plain object and passes it here; the CLI passes its flags.
 * Every value that is out of range or of the wrong type falls back to its default, and the fallback is
 * reported as a problem so that the user is told, never silently corrected.
 */

export type Severity = 'hint' | 'information' | 'warning' | 'error';

export interface Settings {
  /** Electricity price per kWh, in `currency`. */
  electricityPrice: number;
  /** ISO 4217 currency code of the price. */
  currency: string;
  /** ISO 3166 alpha-3 country code or `provider:region`; empty = world average. */
  carbonRegion: string;
  /** gCO2e/kWh override; null = from the region. */
  carbonIntensity: number | null;
  /** `auto` or a CPU/GPU name. */
  hardwareProfile: string;
  /** Profiling budget for one run, seconds. */
  profilingBudgetSeconds: number;
  inferencesPerDay: number;
  /** Accepted accuracy loss in top-1 percentage points. */
  accuracyTolerance: number;
  codeLensEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** `default` keeps each rule's own severity. */
  diagnosticsSeverity: 'default' | Severity;
  /** Gitignore-style patterns of files and folders that Analyze Workspace skips (on top of .gitignore). */
  exclude: string[];
  /** Where the model serves in production: `local` (the measuring machine) or a calibrated benchmark device. */
  deploymentTarget: 'local' | 'rtx3090' | 'rtx4090' | 'i7-12700h';
  /** Batch size the model serves at in production. */
  deploymentBatch: number;
  /** `greenlens check`: the rise in percent of an energy figure that counts as a regression. */
  checkThreshold: number;
  /** `greenlens check`: a new model site of at least this many GMACs per inference is a regression. */
  checkNewSiteGmacs: number;
  /** `greenlens check`: the lowest severity of a new finding that is a regression. */
  checkFindingSeverity: Severity;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  electricityPrice: 0.15,
  currency: 'USD',
  carbonRegion: '',
  carbonIntensity: null,
  hardwareProfile: 'auto',
  profilingBudgetSeconds: 60,
  inferencesPerDay: 10_000,
  accuracyTolerance: 1,
  codeLensEnabled: true,
  diagnosticsEnabled: true,
  diagnosticsSeverity: 'default',
  exclude: [],
  deploymentTarget: 'local',
  deploymentBatch: 1,
  checkThreshold: 10,
  checkNewSiteGmacs: 1,
  checkFindingSeverity: 'warning',
});

/** The raw keys as they appear under the `greenlens` configuration section. */
export const SETTING_KEYS: Readonly<Record<keyof Settings, string>> = Object.freeze({
  electricityPrice: 'electricity.price',
  currency: 'electricity.currency',
  carbonRegion: 'carbon.region',
  carbonIntensity: 'carbon.intensity',
  hardwareProfile: 'hardware.profile',
  profilingBudgetSeconds: 'profiling.timeBudgetSeconds',
  inferencesPerDay: 'workload.inferencesPerDay',
  accuracyTolerance: 'accuracy.tolerance',
  codeLensEnabled: 'codeLens.enabled',
  diagnosticsEnabled: 'diagnostics.enabled',
  diagnosticsSeverity: 'diagnostics.severity',
  exclude: 'exclude',
  deploymentTarget: 'deployment.target',
  deploymentBatch: 'deployment.batch',
  checkThreshold: 'check.threshold',
  checkNewSiteGmacs: 'check.newSiteGmacs',
  checkFindingSeverity: 'check.findingSeverity',
});

export interface SettingProblem {
  key: string;
  message: string;
}

export interface SanitizedSettings {
  settings: Settings;
  problems: SettingProblem[];
}

type Raw = Record<string, unknown>;

/**
 * How a message names a setting: `greenlens.carbon.region` in the editor by default; the CLI names its
 * flag or the repository configuration file instead.
 */
export type SettingLabel = (key: string) => string;

let label: SettingLabel = (key) => `greenlens.${key}`;

function num(raw: Raw, key: keyof Settings, min: number, max: number, problems: SettingProblem[]): number {
  const name = SETTING_KEYS[key];
  const value = raw[name];
  const fallback = DEFAULT_SETTINGS[key] as number;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push({ key: name, message: `${label(name)} must be a number from ${min} to ${max}; got ${JSON.stringify(value)}. Using the default ${fallback}.` });
    return fallback;
  }
  return value;
}

function bool(raw: Raw, key: keyof Settings, problems: SettingProblem[]): boolean {
  const name = SETTING_KEYS[key];
  const value = raw[name];
  const fallback = DEFAULT_SETTINGS[key] as boolean;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    problems.push({ key: name, message: `${label(name)} must be true or false; got ${JSON.stringify(value)}. Using the default ${fallback}.` });
    return fallback;
  }
  return value;
}

function str(raw: Raw, key: keyof Settings, pattern: RegExp, problems: SettingProblem[]): string {
  const name = SETTING_KEYS[key];
  const value = raw[name];
  const fallback = DEFAULT_SETTINGS[key] as string;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !pattern.test(value.trim())) {
    problems.push({ key: name, message: `${label(name)} has an unusable value ${JSON.stringify(value)}. Using the default ${JSON.stringify(fallback)}.` });
    return fallback;
  }
  return value.trim();
}

const SEVERITIES = ['default', 'hint', 'information', 'warning', 'error'] as const;
const TARGETS = ['local', 'rtx3090', 'rtx4090', 'i7-12700h'] as const;

function deploymentTargetOf(raw: Raw, problems: SettingProblem[]): Settings['deploymentTarget'] {
  const name = SETTING_KEYS.deploymentTarget;
  const value = raw[name];
  if (value === undefined || value === null) return DEFAULT_SETTINGS.deploymentTarget;
  if ((TARGETS as readonly unknown[]).includes(value)) return value as Settings['deploymentTarget'];
  problems.push({ key: name, message: `${label(name)} must be one of ${TARGETS.join(', ')}; got ${JSON.stringify(value)}. Using "local".` });
  return DEFAULT_SETTINGS.deploymentTarget;
}

/** A list of non-empty pattern strings; anything else falls back to no patterns and is reported. */
function patterns(raw: Raw, problems: SettingProblem[]): string[] {
  const name = SETTING_KEYS.exclude;
  const value = raw[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push({ key: name, message: `${label(name)} must be a list of glob patterns; got ${JSON.stringify(value)}. Using no extra patterns.` });
    return [];
  }
  return value.map((v: string) => v.trim()).filter((v) => v !== '');
}

/**
 * Turns raw configuration values (keyed as in SETTING_KEYS) into valid Settings plus the problems found;
 * `names` says how messages name a setting.
 */
export function sanitizeSettings(raw: Raw, names?: SettingLabel): SanitizedSettings {
  const previous = label;
  if (names) label = names;
  try {
    return sanitize(raw);
  } finally {
    label = previous;
  }
}

function severityOf(raw: Raw, key: 'checkFindingSeverity', problems: SettingProblem[]): Severity {
  const name = SETTING_KEYS[key];
  const value = raw[name];
  if (value === undefined || value === null) return DEFAULT_SETTINGS[key];
  if ((SEVERITIES as readonly unknown[]).includes(value) && value !== 'default') return value as Severity;
  problems.push({ key: name, message: `${label(name)} must be one of hint, information, warning, error; got ${JSON.stringify(value)}. Using "${DEFAULT_SETTINGS[key]}".` });
  return DEFAULT_SETTINGS[key];
}

function sanitize(raw: Raw): SanitizedSettings {
  const problems: SettingProblem[] = [];
  const intensityRaw = raw[SETTING_KEYS.carbonIntensity];
  let carbonIntensity: number | null = null;
  if (intensityRaw !== undefined && intensityRaw !== null) {
    carbonIntensity = num(raw, 'carbonIntensity', 0, 2000, problems);
    if (problems.some((p) => p.key === SETTING_KEYS.carbonIntensity)) carbonIntensity = null;
  }
  const sevRaw = raw[SETTING_KEYS.diagnosticsSeverity];
  let diagnosticsSeverity: Settings['diagnosticsSeverity'] = DEFAULT_SETTINGS.diagnosticsSeverity;
  if (sevRaw !== undefined && sevRaw !== null) {
    if ((SEVERITIES as readonly unknown[]).includes(sevRaw)) diagnosticsSeverity = sevRaw as Settings['diagnosticsSeverity'];
    else problems.push({ key: SETTING_KEYS.diagnosticsSeverity, message: `${label(SETTING_KEYS.diagnosticsSeverity)} must be one of ${SEVERITIES.join(', ')}; got ${JSON.stringify(sevRaw)}. Using "default".` });
  }
  const settings: Settings = {
    electricityPrice: num(raw, 'electricityPrice', 0, 10, problems),
    currency: str(raw, 'currency', /^[A-Za-z]{3}$/, problems).toUpperCase(),
    carbonRegion: str(raw, 'carbonRegion', /^$|^[A-Za-z]{3}$|^[a-z]+:[A-Za-z0-9-]+$/, problems),
    carbonIntensity,
    hardwareProfile: str(raw, 'hardwareProfile', /^.{1,200}$/, problems),
    profilingBudgetSeconds: num(raw, 'profilingBudgetSeconds', 5, 3600, problems),
    inferencesPerDay: num(raw, 'inferencesPerDay', 0, 1e12, problems),
    accuracyTolerance: num(raw, 'accuracyTolerance', 0, 100, problems),
    codeLensEnabled: bool(raw, 'codeLensEnabled', problems),
    diagnosticsEnabled: bool(raw, 'diagnosticsEnabled', problems),
    diagnosticsSeverity,
    exclude: patterns(raw, problems),
    deploymentTarget: deploymentTargetOf(raw, problems),
    deploymentBatch: Math.round(num(raw, 'deploymentBatch', 1, 65536, problems)),
    checkThreshold: num(raw, 'checkThreshold', 0, 10_000, problems),
    checkNewSiteGmacs: num(raw, 'checkNewSiteGmacs', 0, 1e6, problems),
    checkFindingSeverity: severityOf(raw, 'checkFindingSeverity', problems),
  };
  return { settings, problems };
}

/**
 * setTimeout's longest delay: a signed 32-bit count of milliseconds (about 24.8 days). Node fires a
 * longer delay at once (with a warning), so a huge budget used to make every variant time out immediately.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay that setTimeout honours: clamped to [0, MAX_TIMER_MS]; NaN counts as the longest delay. */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) ? MAX_TIMER_MS : Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}

/** The range of a duration given on the command line, ms. */
export interface DurationLimits {
  min: number;
  max: number;
}

/** Durations the CLI accepts: a run's time budget and the longest a PyTorch run may take. */
export const DURATION_LIMITS = {
  budget: { min: 100, max: 24 * 3_600_000 },
  timeout: { min: 1_000, max: 24 * 3_600_000 },
} as const satisfies Record<string, DurationLimits>;

function durationText(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A duration within its limits, or the message that says what is allowed (the same wording as for settings). */
export function checkDuration(name: string, ms: number, limits: DurationLimits): { ms: number } | { problem: string } {
  if (Number.isFinite(ms) && ms >= limits.min && ms <= limits.max) return { ms };
  return { problem: `${name} must be from ${durationText(limits.min)} to ${durationText(limits.max)}; got ${Number.isFinite(ms) ? durationText(ms) : String(ms)}` };
}
