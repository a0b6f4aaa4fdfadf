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
import { readRepoConfig } from '../../repository/repoConfig';
import { REPORT_SETTING_FLAGS, settingsFromFlags, type RawCliSettings } from '../settingsFlags';
import { parseDuration } from './profile';

/** parseArgs's configuration of the flags that set a report's assumptions, shared with `demo`. */
export const SETTINGS_OPTIONS: Record<string, { type: 'string' }> = Object.fromEntries(
  Object.keys(REPORT_SETTING_FLAGS).map((f) => [f, { type: 'string' }]),
);

/**
 * The report's settings: the folder's repository configuration with the flags on top, as raw settings for
 * the pipeline's sanitizer, whose messages name the flag or the file's key.
 */
export function reportSettings(folder: string, values: Readonly<Record<string, unknown>>): RawCliSettings {
  return settingsFromFlags(values, REPORT_SETTING_FLAGS, readRepoConfig(folder));
}

export const reportCommand: CliCommand = {
  summary: 'build the energy / cost / accuracy report of a folder as html, md, json or csv',
  usage:
    'greenlens report [folder] [--format html|md|json|csv] [--out file] [--budget 20s | --no-profile] [--storage dir] [--inferences-per-day n] [--price p] [--currency USD] [--region FRA] [--carbon-intensity g] [--tolerance pt] [--hardware name] [--deploy-target local|rtx3090|rtx4090|i7-12700h] [--deploy-batch n]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        budget: { type: 'string' },
        'no-profile': { type: 'boolean' },
        storage: { type: 'string' },
        ...SETTINGS_OPTIONS,
      },
    });
    const format = (values.format ?? 'md') as ReportFormat;
    if (!REPORT_FORMATS.includes(format))
      throw new CliUsageError(`--format expects one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    const out = values.out ? path.resolve(io.cwd, values.out) : undefined;
    const outDir = values.storage
      ? path.resolve(io.cwd, values.storage)
      : out
        ? path.dirname(out)
        : path.resolve(io.cwd, 'out', 'report');
    const budgetMs = values['no-profile'] ? 0 : parseDuration(values.budget ?? '20s');
    await assertFolder(folder);
    // The repository's configuration is read before anything runs: a bad file stops the command, not a half run.
    const { raw, names } = reportSettings(folder, values);
    return withSignalStop(async (stop) => {
      const { report, settingProblems } = await runReportPipeline({
        folder,
        outDir,
        budgetMs,
        rawSettings: raw,
        settingNames: names,
        log: (l) => io.err(l),
        signal: stop.signal,
      });
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
