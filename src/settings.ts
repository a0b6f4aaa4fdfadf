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
  deploymentTarget: (typeof DEPLOYMENT_TARGETS)[number];
  /** Batch size the model serves at in production. */
  deploymentBatch: number;
  /** The batch the .onnx viewer counts MACs and memory at when a model's batch dimension is free. */
  onnxBatchSize: number;
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
  onnxBatchSize: 1,
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
  onnxBatchSize: 'onnx.batchSize',
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

/** The settings that are numbers, each with its inclusive range; every other module reads ranges here. */
export const SETTING_RANGES = Object.freeze({
  electricityPrice: { min: 0, max: 10 },
  carbonIntensity: { min: 0, max: 2000 },
  profilingBudgetSeconds: { min: 5, max: 3600 },
  inferencesPerDay: { min: 0, max: 1e12 },
  accuracyTolerance: { min: 0, max: 100 },
  deploymentBatch: { min: 1, max: 65536 },
  onnxBatchSize: { min: 1, max: 65536 },
  checkThreshold: { min: 0, max: 10_000 },
  checkNewSiteGmacs: { min: 0, max: 1e6 },
} as const satisfies Partial<Record<keyof Settings, { min: number; max: number }>>);

export type NumericSetting = keyof typeof SETTING_RANGES;

/** The patterns a trimmed string setting must match. */
export const SETTING_PATTERNS = Object.freeze({
  /** ISO 4217 currency code. */
  currency: /^[A-Za-z]{3}$/,
  /** Empty (the world average), an ISO 3166 alpha-3 country code, or `provider:region`. */
  carbonRegion: /^$|^[A-Za-z]{3}$|^[a-z]+:[A-Za-z0-9-]+$/,
  hardwareProfile: /^.{1,200}$/,
} as const satisfies Partial<Record<keyof Settings, RegExp>>);

export const DIAGNOSTIC_SEVERITIES = ['default', 'hint', 'information', 'warning', 'error'] as const;
export const DEPLOYMENT_TARGETS = ['local', 'rtx3090', 'rtx4090', 'i7-12700h'] as const;

/** Whether a setting's key (as in SETTING_KEYS) holds a number, so that text given for it is read as one. */
export function isNumericSettingKey(key: string): boolean {
  return Object.keys(SETTING_RANGES).some((k) => SETTING_KEYS[k as NumericSetting] === key);
}

/** Whether `value` is a usable value of a numeric setting. */
export function inSettingRange(key: NumericSetting, value: unknown): value is number {
  const { min, max } = SETTING_RANGES[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/** One sanitizing pass: the raw values, the problems found so far, and how messages name a setting. */
interface Pass {
  raw: Raw;
  problems: SettingProblem[];
  label: SettingLabel;
}

function num(p: Pass, key: NumericSetting): number {
  const name = SETTING_KEYS[key];
  const value = p.raw[name];
  const fallback = DEFAULT_SETTINGS[key] as number;
  if (value === undefined || value === null) return fallback;
  if (!inSettingRange(key, value)) {
    const { min, max } = SETTING_RANGES[key];
    p.problems.push({
      key: name,
      message: `${p.label(name)} must be a number from ${min} to ${max}; got ${JSON.stringify(value)}. Using the default ${fallback}.`,
    });
    return fallback;
  }
  return value;
}

function bool(p: Pass, key: keyof Settings): boolean {
  const name = SETTING_KEYS[key];
  const value = p.raw[name];
  const fallback = DEFAULT_SETTINGS[key] as boolean;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    p.problems.push({
      key: name,
      message: `${p.label(name)} must be true or false; got ${JSON.stringify(value)}. Using the default ${fallback}.`,
    });
    return fallback;
  }
  return value;
}

function str(p: Pass, key: keyof typeof SETTING_PATTERNS): string {
  const name = SETTING_KEYS[key];
  const value = p.raw[name];
  const fallback = DEFAULT_SETTINGS[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !SETTING_PATTERNS[key].test(value.trim())) {
    p.problems.push({
      key: name,
      message: `${p.label(name)} has an unusable value ${JSON.stringify(value)}. Using the default ${JSON.stringify(fallback)}.`,
    });
    return fallback;
  }
  return value.trim();
}

/** A value from a fixed list, or the default with a problem that lists the choices. */
function choice<T extends string>(
  p: Pass,
  key: 'deploymentTarget' | 'diagnosticsSeverity' | 'checkFindingSeverity',
  choices: readonly T[],
): T {
  const name = SETTING_KEYS[key];
  const value = p.raw[name];
  const fallback = DEFAULT_SETTINGS[key] as T;
  if (value === undefined || value === null) return fallback;
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  p.problems.push({
    key: name,
    message: `${p.label(name)} must be one of ${choices.join(', ')}; got ${JSON.stringify(value)}. Using "${fallback}".`,
  });
  return fallback;
}

/** A list of non-empty pattern strings; anything else falls back to no patterns and is reported. */
function patterns(p: Pass): string[] {
  const name = SETTING_KEYS.exclude;
  const value = p.raw[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    p.problems.push({
      key: name,
      message: `${p.label(name)} must be a list of glob patterns; got ${JSON.stringify(value)}. Using no extra patterns.`,
    });
    return [];
  }
  return value.map((v: string) => v.trim()).filter((v) => v !== '');
}

/**
 * Turns raw configuration values (keyed as in SETTING_KEYS) into valid Settings plus the problems found;
 * `names` says how messages name a setting.
 */
export function sanitizeSettings(raw: Raw, names: SettingLabel = (key) => `greenlens.${key}`): SanitizedSettings {
  const p: Pass = { raw, problems: [], label: names };
  const settings: Settings = {
    electricityPrice: num(p, 'electricityPrice'),
    currency: str(p, 'currency').toUpperCase(),
    carbonRegion: str(p, 'carbonRegion'),
    carbonIntensity: intensityOverride(p),
    hardwareProfile: str(p, 'hardwareProfile'),
    profilingBudgetSeconds: num(p, 'profilingBudgetSeconds'),
    inferencesPerDay: num(p, 'inferencesPerDay'),
    accuracyTolerance: num(p, 'accuracyTolerance'),
    codeLensEnabled: bool(p, 'codeLensEnabled'),
    diagnosticsEnabled: bool(p, 'diagnosticsEnabled'),
    diagnosticsSeverity: choice(p, 'diagnosticsSeverity', DIAGNOSTIC_SEVERITIES),
    exclude: patterns(p),
    deploymentTarget: choice(p, 'deploymentTarget', DEPLOYMENT_TARGETS),
    deploymentBatch: Math.round(num(p, 'deploymentBatch')),
    onnxBatchSize: Math.round(num(p, 'onnxBatchSize')),
    checkThreshold: num(p, 'checkThreshold'),
    checkNewSiteGmacs: num(p, 'checkNewSiteGmacs'),
    checkFindingSeverity: choice(
      p,
      'checkFindingSeverity',
      DIAGNOSTIC_SEVERITIES.filter((s): s is Severity => s !== 'default'),
    ),
  };
  return { settings, problems: p.problems };
}

/** The carbon intensity override: none (null) by default, and a bad one is reported and means none. */
function intensityOverride(p: Pass): number | null {
  const value = p.raw[SETTING_KEYS.carbonIntensity];
  if (value === undefined || value === null) return null;
  if (inSettingRange('carbonIntensity', value)) return value;
  num(p, 'carbonIntensity');
  return null;
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
  return {
    problem: `${name} must be from ${durationText(limits.min)} to ${durationText(limits.max)}; got ${Number.isFinite(ms) ? durationText(ms) : String(ms)}`,
  };
}
