/**
 * `greenlens demo [folder]`: the main job end to end on a workspace — analyze its Python code, inspect
 * its ONNX files, profile them briefly on this machine, build the report — and write report.html,
 * report.md, report.json and report.csv, then print a summary table. Every figure carries its provenance.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReportSummary } from '../../report/export/text';
import { assertFolder } from '../../fileAccess';
import { EXIT, withSignalStop, type CliCommand } from '../io';
import { REPORT_FORMATS } from '../../report/render';
import { runReportPipeline, writeReportFiles } from '../pipeline';
import { parseDuration } from './profile';
import { reportSettings, SETTINGS_OPTIONS } from './report';

export const demoCommand: CliCommand = {
  summary: 'analyze a folder end to end and write report.html, report.md, report.json and report.csv',
  usage:
    'greenlens demo [folder] [--out dir] [--budget 20s] [--inferences-per-day n] [--price p] [--currency USD] [--region FRA] [--carbon-intensity g] [--tolerance pt] [--hardware name] [--deploy-target local|rtx3090|rtx4090|i7-12700h] [--deploy-batch n]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, budget: { type: 'string' }, ...SETTINGS_OPTIONS },
    });
    const folder = path.resolve(io.cwd, positionals[0] ?? '.');
    const outDir = path.resolve(io.cwd, values.out ?? path.join('out', 'demo'));
    const budgetMs = parseDuration(values.budget ?? '20s');
    // Before anything is written: a missing folder must not replace a good report with an empty one.
    await assertFolder(folder);
    io.out(`GreenLens demo over ${folder}`);
    // The repository's configuration is read before anything runs: a bad file stops the command, not a half run.
    const { raw, names } = reportSettings(folder, values);
    return withSignalStop(async (stop) => {
      const { report, settingProblems } = await runReportPipeline({
        folder,
        outDir,
        budgetMs,
        rawSettings: raw,
        settingNames: names,
        log: (l) => io.out(l),
        signal: stop.signal,
      });
      if (stop.signal.aborted) return stop.exitCode(EXIT.ok);
      for (const p of settingProblems) io.err(`warning: ${p.message}`);
      const written = await writeReportFiles(report, outDir, REPORT_FORMATS);
      io.out('');
      io.out(formatReportSummary(report));
      io.out('');
      io.out(`Wrote ${written.map((f) => path.relative(io.cwd, f) || f).join(', ')}`);
      return EXIT.ok;
    });
  },
};
