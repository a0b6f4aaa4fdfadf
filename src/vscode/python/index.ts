/**
 * The Python feature: code lenses, diagnostics, quick fixes and hovers over Python model code, analyzed
 * incrementally per open document. Registration is cheap: the grammar and the catalog load on the first
 * Python document (see PythonService.engine).
 */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import { alternatives, profileVariants, showDetails, showRuleDocs, trainingDetails } from './commands';
import { DocumentAnalyses } from './documents';
import { PythonCodeActions, PythonCodeLenses, PythonCommands, PythonHover } from './providers';
import { PythonService } from './service';
import { analyzeWorkspace as analyzeWorkspaceCommand, type WorkspaceSummary } from './analyzeWorkspace';

const SELECTOR: vscode.DocumentSelector = [{ language: 'python', scheme: 'file' }, { language: 'python', scheme: 'untitled' }, { language: 'python', scheme: 'vscode-remote' }];

let shared: { service: PythonService; docs: DocumentAnalyses } | undefined;

/** The one service of this activation; created by registerPython, or by the first command that needs it. */
function python(ctx: GreenLensContext): { service: PythonService; docs: DocumentAnalyses } {
  if (!shared) {
    const service = new PythonService(ctx);
    const docs = new DocumentAnalyses(service);
    ctx.push(service, docs, { dispose: () => { shared = undefined; } });
    shared = { service, docs };
  }
  return shared;
}

/** Registers the Python providers, listeners and lens commands. */
export function registerPython(ctx: GreenLensContext): void {
  const { service, docs } = python(ctx);
  const lenses = new PythonCodeLenses(service, docs);
  const commands: Record<string, (...args: unknown[]) => Promise<unknown>> = {
    [PythonCommands.showDetails]: showDetails(service, docs),
    [PythonCommands.profileVariants]: profileVariants(service, docs),
    [PythonCommands.alternatives]: alternatives(service, docs),
    [PythonCommands.trainingDetails]: trainingDetails(service, docs),
    [PythonCommands.ruleDocs]: showRuleDocs(service),
  };
  ctx.push(
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SELECTOR, new PythonHover(service, docs)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new PythonCodeActions(service, docs), { providedCodeActionKinds: PythonCodeActions.kinds }),
    docs.onDidChange(() => lenses.refresh()),
    ctx.config.onDidChange(() => {
      // Severity, workload, tolerance and hardware all change findings and figures: re-analyze.
      if (!service.settings.diagnosticsEnabled) service.diagnostics.clear();
      docs.refreshAll();
      lenses.refresh();
    }),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        service.report(`command:${id}`, `${id} failed`, err);
        return undefined;
      }
    })),
  );
}

/** The handler of GreenLens: Analyze Workspace. */
export function analyzeWorkspace(ctx: GreenLensContext): () => Promise<WorkspaceSummary | undefined> {
  return analyzeWorkspaceCommand(ctx, () => python(ctx).service);
}
