/**
 * GreenLens: Analyze Workspace — analyzes every Python file of the workspace (honouring `.gitignore` and
 * `greenlens.exclude`) on worker threads, with a cancellable progress notification, fills the diagnostics
 * of files that are not open, and logs a summary.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Finding, ModelSite } from '../../analyzers/python/types';
import type { GreenLensContext } from '../context';
import type { PythonService } from './service';

/** What one run found; returned to callers (tests, other commands). */
export interface WorkspaceSummary {
  files: number;
  analyzed: number;
  failed: number;
  sites: number;
  findings: number;
  byRule: Record<string, number>;
  cancelled: boolean;
  ms: number;
}

/** GL012 for one file analyzed off-thread: the catalog lives on this thread, so it is added here. */
async function withCatalogFindings(
  service: PythonService,
  file: string,
  findings: Finding[],
  sites: ModelSite[],
): Promise<Finding[]> {
  if (sites.length === 0) return findings;
  const [eng, hw] = await Promise.all([service.engine(), service.hardware()]);
  const settings = service.settings;
  const source = await readFile(file, 'utf8').catch(() => '');
  const rule = eng.catalogSiteRule(() => source, settings, hw);
  const level = settings.diagnosticsSeverity === 'default' ? 'information' : settings.diagnosticsSeverity;
  const extra = sites.flatMap((s, i) => rule(s, i).map((f) => ({ ...f, site: i, severity: level }) as Finding));
  return [...findings, ...extra];
}

/** The command handler factory, wired in the command table. */
export function analyzeWorkspace(ctx: GreenLensContext, service: () => PythonService) {
  return async (): Promise<WorkspaceSummary | undefined> => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('GreenLens: open a folder to analyze its Python files.');
      return undefined;
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'GreenLens: analyzing Python files', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
        try {
          return await run(ctx, service(), folders, progress, abort.signal);
        } catch (err) {
          if (!abort.signal.aborted) throw err;
          ctx.log.info('Analyze Workspace cancelled.');
          return undefined;
        }
      },
    );
  };
}

async function run(
  ctx: GreenLensContext,
  svc: PythonService,
  folders: readonly vscode.WorkspaceFolder[],
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  signal: AbortSignal,
): Promise<WorkspaceSummary> {
  const t0 = performance.now();
  const eng = await svc.engine();
  const files: string[] = [];
  for (const f of folders)
    files.push(...(await eng.findWorkspaceFiles(f.uri.fsPath, { exclude: svc.settings.exclude, signal })).python);
  progress.report({ message: `${files.length} files` });
  let last = 0;
  const settings = svc.settings;
  const results = await eng.analyzePythonFiles(files, {
    wasmDir: ctx.asset('dist'),
    signal,
    timeoutMs: 5000,
    workspaceRoots: folders.map((f) => f.uri.fsPath),
    severity: settings.diagnosticsSeverity === 'default' ? {} : { all: settings.diagnosticsSeverity },
    onProgress: (done, total) => {
      progress.report({ message: `${done} of ${total} files`, increment: ((done - last) / Math.max(1, total)) * 100 });
      last = done;
    },
  });
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  const summary: WorkspaceSummary = {
    files: files.length,
    analyzed: 0,
    failed: 0,
    sites: 0,
    findings: 0,
    byRule: {},
    cancelled: false,
    ms: 0,
  };
  for (const r of results) {
    signal.throwIfAborted();
    const uri = vscode.Uri.file(r.file);
    if (!r.analysis) {
      summary.failed++;
      ctx.log.warn(`Analyze Workspace: ${vscode.workspace.asRelativePath(uri)}: ${r.error ?? 'not analyzed'}`);
      continue;
    }
    summary.analyzed++;
    const findings = await withCatalogFindings(svc, r.file, r.analysis.findings, r.analysis.sites);
    summary.sites += r.analysis.sites.length;
    summary.findings += findings.length;
    for (const f of findings) summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
    // Open documents are analyzed live from their editor text, which may differ from the file on disk.
    if (open.has(uri.toString())) continue;
    svc.fromWorkspace.add(uri.toString());
    svc.publish(uri, findings);
  }
  summary.ms = Math.round(performance.now() - t0);
  const rules = Object.entries(summary.byRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  ctx.log.info(
    `Analyze Workspace: ${summary.analyzed} of ${summary.files} Python files analyzed in ${summary.ms} ms, ${summary.failed} failed; ${summary.sites} model sites, ${summary.findings} findings${rules ? ` (${rules})` : ''}.`,
  );
  return summary;
}
