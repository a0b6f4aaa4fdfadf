/**
 * `greenlens check [folder] --baseline FILE [--update]`: the CI gate. `--update` records the workspace's
 * static energy figures, training estimates and findings in a committed baseline; without it the
 * workspace is compared with that baseline and the command exits 1 on a regression. Nothing is profiled:
 * a CI machine is too noisy to measure on, so every figure is the same static estimate as the editor's,
 * plus the measured profile of an ONNX file where this machine already has one in the profiler's cache.
 * Every usage or input error exits 2, so that 1 always means "a regression was found".
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../../atomicWrite';
import { assertFolder, fileAccessError } from '../../fileAccess';
import { DEFAULT_SETTINGS, DEPLOYMENT_TARGETS, SETTING_KEYS, type Settings } from '../../settings';
import { readRepoConfig } from '../../repository/repoConfig';
import { helpText, parseOptions, type OptionTable } from '../args';
import { buildBaseline, serializeBaseline, type Baseline } from '../check/baseline';
import { compareBaselines } from '../check/compare';
import { formatCheckJson, formatCheckMarkdown, formatCheckText } from '../check/format';
import { measuredProfiles } from '../check/measured';
import { parseBaseline } from '../check/parse';
import { checkSarif } from '../sarif';
import { CliUsageError, defaultCacheDir, EXIT, type CliCommand, type CliIO } from '../io';
import { runReportPipeline } from '../pipeline';
import { cliSettings, pick, settingsFromFlags } from '../settingsFlags';

const FORMATS = ['text', 'md', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** The baseline's file name when --baseline is not given, in the checked folder. */
export const DEFAULT_BASELINE = 'greenlens-baseline.json';

const OPTIONS: OptionTable = {
  baseline: {
    type: 'string',
    value: 'FILE',
    description: 'the committed baseline to compare with or write',
    default: `${DEFAULT_BASELINE} in the folder`,
  },
  update: { type: 'boolean', description: 'write the baseline from the workspace as it is now instead of comparing' },
  threshold: {
    type: 'string',
    value: 'PCT',
    description: 'rise in percent of an energy figure that is a regression',
    default: `check.threshold of greenlens.json, else ${DEFAULT_SETTINGS.checkThreshold}`,
  },
  'new-site-gmacs': {
    type: 'string',
    value: 'G',
    description: 'a new model of at least this many GMACs per inference is a regression',
    default: String(DEFAULT_SETTINGS.checkNewSiteGmacs),
  },
  'fail-on': {
    type: 'string',
    value: 'SEVERITY',
    description: 'lowest severity of a new finding that fails: hint, information, warning, error',
    default: DEFAULT_SETTINGS.checkFindingSeverity,
  },
  strict: { type: 'boolean', description: 'fail on rises within the bands’ overlap (within uncertainty) too' },
  format: {
    type: 'string',
    value: 'FMT',
    description: 'output: text, md (pull-request comment), json or sarif (code scanning)',
    default: 'text',
  },
  region: {
    type: 'string',
    value: 'CODE',
    description: 'grid region for carbon figures (ISO alpha-3 or provider:region)',
    default: 'world average',
  },
  'inferences-per-day': {
    type: 'string',
    value: 'N',
    description: 'workload the yearly figures assume',
    default: String(DEFAULT_SETTINGS.inferencesPerDay),
  },
  hardware: {
    type: 'string',
    value: 'NAME',
    description: 'CPU or GPU the estimates are for',
    default: 'the baseline’s, else detected',
  },
  'deploy-target': {
    type: 'string',
    value: 'NAME',
    description: `deployment target: ${DEPLOYMENT_TARGETS.join(', ')}`,
    default: DEFAULT_SETTINGS.deploymentTarget,
  },
  'profile-cache': {
    type: 'string',
    value: 'DIR',
    description: 'the profiler’s result cache to take measured profiles from (check never profiles)',
    default: 'the cache of greenlens profile',
  },
};

const FLAG_KEYS = pick([
  'threshold',
  'new-site-gmacs',
  'fail-on',
  'region',
  'inferences-per-day',
  'hardware',
  'deploy-target',
]);

function readBaselineFile(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliUsageError(`no baseline at ${file}; write one with greenlens check --update.`);
    throw fileAccessError(file, err);
  }
  return parseBaseline(text, file);
}

async function currentBaseline(
  folder: string,
  raw: Record<string, unknown>,
  names: (key: string) => string,
  cacheDir: string,
): Promise<{ baseline: Baseline; opts: Settings }> {
  const opts = cliSettings(raw, names);
  const { report, inputs } = await runReportPipeline({
    folder,
    outDir: folder,
    budgetMs: 0,
    rawSettings: raw,
    generatedAt: '1970-01-01T00:00:00.000Z',
  });
  const device = inputs.hardware.device;
  const measured = await measuredProfiles(
    folder,
    report.models.filter((m) => m.kind === 'onnx').map((m) => m.file),
    [cacheDir],
  );
  const baseline = buildBaseline({
    report,
    python: inputs.python,
    settings: opts,
    hardware: { name: device.matchedName ?? device.name, isGpu: device.kind === 'gpu' },
    measured,
  });
  return { baseline, opts };
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function print(io: CliIO, lines: string[] | string): void {
  for (const l of Array.isArray(lines) ? lines : [lines]) io.out(l);
}

export const checkCommand: CliCommand = {
  summary: 'compare the workspace’s energy figures with a committed baseline (a CI gate)',
  usage:
    'greenlens check [folder] [--baseline FILE] [--update] [--threshold PCT] [--new-site-gmacs G] [--fail-on SEVERITY] [--strict] [--format text|md|json|sarif] [--region CODE] [--inferences-per-day N] [--hardware NAME] [--deploy-target NAME] [--profile-cache DIR]',
  usageExit: EXIT.input,
  flags: Object.keys(OPTIONS),
  help: () =>
    helpText(
      checkCommand.usage,
      checkCommand.summary,
      OPTIONS,
      'greenlens check . --baseline greenlens-baseline.json --format md >> "$GITHUB_STEP_SUMMARY"',
    ),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS);
    if (positionals.length > 1) throw new CliUsageError(`one folder at most; got ${positionals.length}.`);
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format))
      throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}; got "${String(values.format)}".`);
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    await assertFolder(folder);
    const file = path.resolve(
      io.cwd,
      typeof values.baseline === 'string' ? values.baseline : path.join(folder, DEFAULT_BASELINE),
    );
    const config = readRepoConfig(folder);
    const { raw, names } = settingsFromFlags(values, FLAG_KEYS, config);
    // Every value is checked before the baseline is read, so that a bad flag is a usage error even without one.
    cliSettings(raw, names);
    const base = values.update ? undefined : readBaselineFile(file);
    // Compared figures must be for the same hardware: unless told otherwise, use the baseline's.
    if (base && raw[SETTING_KEYS.hardwareProfile] === undefined)
      raw[SETTING_KEYS.hardwareProfile] = base.assumptions.hardware;
    const cacheDir =
      typeof values['profile-cache'] === 'string'
        ? path.resolve(io.cwd, values['profile-cache'])
        : path.join(defaultCacheDir(), 'profile-cache');
    const { baseline, opts } = await currentBaseline(folder, raw, names, cacheDir);
    if (!base) {
      writeFileAtomicSync(file, serializeBaseline(baseline));
      io.out(
        `greenlens check: wrote ${path.relative(io.cwd, file) || file}: ${count(baseline.models.length, 'model')}, ${count(baseline.training.length, 'training run')}, ${count(baseline.findings.length, 'finding')}.`,
      );
      return EXIT.ok;
    }
    const result = compareBaselines(base, baseline, {
      threshold: opts.checkThreshold,
      newSiteGmacs: opts.checkNewSiteGmacs,
      findingSeverity: opts.checkFindingSeverity,
      strict: values.strict === true,
    });
    const strict = values.strict === true;
    if (format === 'md') print(io, formatCheckMarkdown(result, strict));
    else if (format === 'json') print(io, formatCheckJson(result));
    else if (format === 'sarif') print(io, JSON.stringify(checkSarif(result, strict), null, 2));
    else print(io, formatCheckText(result, strict));
    return result.failed ? EXIT.regression : EXIT.ok;
  },
};
