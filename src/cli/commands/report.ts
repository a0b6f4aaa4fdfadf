/**
 * `greenlens report [folder]`: the same pipeline as `demo`, writing one format to a file or stdout, for
 * CI jobs that post report.md to a pull request or keep report.json as an artifact.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { assertFolder } from '../../fileAccess';
import { CliUsageError, EXIT, withSignalStop, type CliCommand } from '../io';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../report/render';
import { defaultDistDir, runReportPipeline } from '../pipeline';
import { parseDuration } from './profile';

/** Flags that set the report's assumptions, shared with `demo`. */
export const SETTINGS_OPTIONS = {
  'inferences-per-day': { type: 'string' }, price: { type: 'string' }, currency: { type: 'string' }, region: { type: 'string' },
  'carbon-intensity': { type: 'string' }, tolerance: { type: 'string' }, hardware: { type: 'string' },
  'deploy-target': { type: 'string' }, 'deploy-batch': { type: 'string' },
} as const;

const num = (v: string | undefined): number | string | undefined => (v === undefined ? undefined : Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : v);

/** The flag that sets each setting, so that a message about a bad value names the flag, not a VS Code setting. */
const FLAG_OF: Record<string, string> = {
  'workload.inferencesPerDay': '--inferences-per-day', 'electricity.price': '--price', 'electricity.currency': '--currency', 'carbon.region': '--region',
  'carbon.intensity': '--carbon-intensity', 'accuracy.tolerance': '--tolerance', 'hardware.profile': '--hardware', 'deployment.target': '--deploy-target', 'deployment.batch': '--deploy-batch',
};

export const flagName = (key: string): string => FLAG_OF[key] ?? key;

/** Maps the flags to raw settings keyed as in VS Code's configuration, so the same sanitizing applies. */
export function settingsFromFlags(v: Partial<Record<keyof typeof SETTINGS_OPTIONS, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    'workload.inferencesPerDay': num(v['inferences-per-day']), 'electricity.price': num(v.price), 'electricity.currency': v.currency,
    'carbon.region': v.region, 'carbon.intensity': num(v['carbon-intensity']), 'accuracy.tolerance': num(v.tolerance), 'hardware.profile': v.hardware,
    'deployment.target': v['deploy-target'], 'deployment.batch': num(v['deploy-batch']),
  };
  return Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined));
}

export const reportCommand: CliCommand = {
  summary: 'build the energy / cost / accuracy report of a folder as html, md, json or csv',
  usage: 'greenlens report [folder] [--format html|md|json|csv] [--out file] [--budget 20s | --no-profile] [--storage dir] [--inferences-per-day n] [--price p] [--currency USD] [--region FRA] [--carbon-intensity g] [--tolerance pt] [--hardware name] [--deploy-target local|rtx3090|rtx4090|i7-12700h] [--deploy-batch n]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, budget: { type: 'string' }, 'no-profile': { type: 'boolean' }, storage: { type: 'string' }, ...SETTINGS_OPTIONS },
    });
    const format = (values.format ?? 'md') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new CliUsageError(`--format expects one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    const out = values.out ? path.resolve(io.cwd, values.out) : undefined;
    const outDir = values.storage ? path.resolve(io.cwd, values.storage) : out ? path.dirname(out) : path.resolve(io.cwd, 'out', 'report');
    const budgetMs = values['no-profile'] ? 0 : parseDuration(values.budget ?? '20s');
    await assertFolder(folder);
    return withSignalStop(async (stop) => {
      const { report, settingProblems } = await runReportPipeline({ folder, outDir, budgetMs, rawSettings: settingsFromFlags(values), settingNames: flagName, log: (l) => io.err(l), signal: stop.signal });
      // An interrupted run writes nothing: a half-profiled report must not replace a finished one.
      if (stop.signal.aborted) return stop.exitCode(EXIT.ok);
      for (const p of settingProblems) io.err(`warning: ${p.message}`);
      const text = renderReport(report, format, defaultDistDir());
      if (out) {
        await writeFile(out, text);
        io.err(`Wrote ${path.relative(io.cwd, out) || out}`);
      } else io.out(text.replace(/\n$/, ''));
      return EXIT.ok;
    });
  },
};
