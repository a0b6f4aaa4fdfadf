/**
 * The Python feature: code lenses, diagnostics, quick fixes and hovers over Python model code, analyzed
 * incrementally per open document. Registration is cheap: the grammar and the catalog load on the first
 * Python document (see PythonService.engine).
 */
import * as vscode from 'vscode';
import { InternalCommands, type InternalCommandId } from '../commands/ids';
import { defineFeature, type CommandFactory, type GreenLensContext } from '../context';
import { alternatives, profileVariants, showDetails, showRuleDocs, trainingDetails } from './commands';
import { DocumentAnalyses } from './documents';
import { PythonCodeActions, PythonCodeLenses, PythonHover } from './providers';
import { PythonService } from './service';
import { analyzeWorkspace as analyzeWorkspaceCommand, type WorkspaceSummary } from './analyzeWorkspace';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-remote' },
];

/** The service and document tracker of this activation; created by registerPython, or by the first command that needs it. */
export const Python = defineFeature('the Python analysis', (ctx) => {
  const service = new PythonService(ctx);
  const docs = new DocumentAnalyses(service);
  ctx.push(service, docs);
  return { service, docs };
});

/** Registers the Python providers and listeners. */
export function registerPython(ctx: GreenLensContext): void {
  const { service, docs } = ctx.feature(Python);
  const lenses = new PythonCodeLenses(service, docs);
  ctx.push(
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SELECTOR, new PythonHover(service, docs)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new PythonCodeActions(service, docs), {
      providedCodeActionKinds: PythonCodeActions.kinds,
    }),
    docs.onDidChange(() => lenses.refresh()),
    ctx.config.onDidChange(() => {
      // Severity, workload, tolerance and hardware all change findings and figures: re-analyze.
      if (!service.settings.diagnosticsEnabled) service.diagnostics.clear();
      docs.refreshAll();
      lenses.refresh();
    }),
  );
}

/** A lens command's factory over the feature's service and documents. */
function lensCommand(
  make: (service: PythonService, docs: DocumentAnalyses) => (...args: unknown[]) => unknown,
): CommandFactory {
  return (ctx) =>
    (...args) => {
      const { service, docs } = ctx.feature(Python);
      return make(service, docs)(...args);
    };
}

/** The handlers of the commands behind the lenses and quick fixes, for the command table. */
export const pythonCommands: { readonly [K in InternalCommandId]: CommandFactory } = {
  [InternalCommands.showDetails]: lensCommand(showDetails),
  [InternalCommands.profileVariants]: lensCommand(profileVariants),
  [InternalCommands.alternatives]: lensCommand(alternatives),
  [InternalCommands.trainingDetails]: lensCommand(trainingDetails),
  [InternalCommands.ruleDocs]: lensCommand((service) => showRuleDocs(service)),
};

/** The handler of GreenLens: Analyze Workspace. */
export function analyzeWorkspace(ctx: GreenLensContext): () => Promise<WorkspaceSummary | undefined> {
  return analyzeWorkspaceCommand(ctx, () => ctx.feature(Python).service);
}
