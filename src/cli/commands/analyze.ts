/**
 * `greenlens analyze [path] [--format text|json|markdown|sarif] [--exclude glob]...`: model sites and green-rule
 * findings of every Python file in a folder (honouring .gitignore), with the same analysis as the editor.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePythonFiles, type FileAnalysis } from '../../analyzers/python/pool';
import { assertRegularFile, fileAccessError } from '../../fileAccess';
import { mdEscape } from '../../report/export/markdown';
import { SETTING_KEYS } from '../../settings';
import { findWorkspaceFiles } from '../../repository/files';
import { readRepoConfig } from '../../repository/repoConfig';
import { CliUsageError, type CliCommand } from '../io';
import { analyzeSarif } from '../sarif';

type Format = 'text' | 'json' | 'markdown' | 'sarif';

/** Files to analyze: one file, or every Python file of a folder. */
async function targets(target: string, exclude: string[]): Promise<{ root: string; files: string[] }> {
  const info = await stat(target).catch((err: unknown) => {
    throw fileAccessError(target, err);
  });
  if (info.isDirectory()) {
    // The repository's excluded paths (greenlens.json or [tool.greenlens]) apply as in `check` and the editor.
    const repo = readRepoConfig(target).raw[SETTING_KEYS.exclude];
    const shared = Array.isArray(repo) ? repo.filter((p): p is string => typeof p === 'string') : [];
    return { root: target, files: (await findWorkspaceFiles(target, { exclude: [...shared, ...exclude] })).python };
  }
  // One named file: it must be a regular file (a link to one is followed), else bad input (exit 2).
  assertRegularFile(target);
  return { root: path.dirname(target), files: [target] };
}

const pos = (p: { line: number; character: number }): string => `${p.line + 1}:${p.character + 1}`;

function formatText(root: string, results: FileAnalysis[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const rel = path.relative(root, r.file) || path.basename(r.file);
    if (r.error) out.push(`${rel}: error: ${r.error}`);
    const a = r.analysis;
    if (!a) continue;
    if (a.incomplete) out.push(`${rel}: not fully analyzed (${a.incomplete})`);
    for (const s of a.sites)
      out.push(
        `${rel}:${pos(s.range.start)}: model ${s.kind} ${s.framework} ${s.modelId ?? '(dynamic)'}${s.pretrained ? ' pretrained' : ''}`,
      );
    for (const f of a.findings) out.push(`${rel}:${pos(f.range.start)}: ${f.severity} ${f.ruleId} ${f.message}`);
  }
  return out;
}

/**
 * A Markdown table for a pull request. Everything from the workspace (file names, model ids, messages that
 * quote them) goes through the report export's escaping; model ids are plain text, not code spans, which a
 * backtick in the id could close.
 */
function formatMarkdown(root: string, results: FileAnalysis[]): string[] {
  const out = ['# GreenLens analysis', '', '| File | Line | Kind | Detail |', '|---|---|---|---|'];
  for (const r of results) {
    const rel = mdEscape(path.relative(root, r.file) || path.basename(r.file));
    if (r.error) out.push(`| ${rel} | | error | ${mdEscape(r.error)} |`);
    for (const s of r.analysis?.sites ?? [])
      out.push(
        `| ${rel} | ${s.range.start.line + 1} | model | ${mdEscape(`${s.framework} ${s.kind} ${s.modelId ?? '(dynamic)'}`)} |`,
      );
    for (const f of r.analysis?.findings ?? [])
      out.push(
        `| ${rel} | ${f.range.start.line + 1} | [${f.ruleId}](docs/rules/${f.ruleId}.md) ${f.severity} | ${mdEscape(f.message)} |`,
      );
  }
  return out;
}

function summary(results: FileAnalysis[]): string {
  const sites = results.reduce((n, r) => n + (r.analysis?.sites.length ?? 0), 0);
  const findings = results.reduce((n, r) => n + (r.analysis?.findings.length ?? 0), 0);
  const errors = results.filter((r) => r.error).length;
  return `${results.length} Python files, ${sites} model sites, ${findings} findings${errors ? `, ${errors} files not analyzed` : ''}`;
}

export const analyzeCommand: CliCommand = {
  summary: 'find model sites and green anti-patterns in Python code',
  usage: 'greenlens analyze [path] [--format text|json|markdown|sarif] [--exclude glob]...',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        exclude: { type: 'string', multiple: true, default: [] },
      },
    });
    const format = values.format as Format;
    if (!['text', 'json', 'markdown', 'sarif'].includes(format))
      throw new CliUsageError(`--format must be one of text, json, markdown, sarif; got "${format}"`);
    const { root, files } = await targets(path.resolve(io.cwd, positionals[0] ?? '.'), values.exclude ?? []);
    const results = await analyzePythonFiles(files, { workspaceRoots: [root] });
    if (format === 'sarif') {
      io.out(JSON.stringify(analyzeSarif(root, results), null, 2));
    } else if (format === 'json') {
      io.out(
        JSON.stringify(
          {
            schemaVersion: 1,
            root,
            files: results.map((r) => ({ ...r, file: path.relative(root, r.file) || path.basename(r.file) })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const line of format === 'markdown' ? formatMarkdown(root, results) : formatText(root, results))
        io.out(line);
      io.out(format === 'markdown' ? `\n${summary(results)}` : summary(results));
    }
    return 0;
  },
};
