/**
 * The commands behind the Python lenses and quick fixes: the model card, profiling, greener alternatives
 * (an edit the user previews and confirms), training details and rule documentation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import type { DocumentAnalyses, DocumentResult } from './documents';
import type { SiteModel } from './model';
import type { PythonService } from './service';

type Item = vscode.QuickPickItem;

function asUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  return undefined;
}

/** The result and site a lens or quick fix refers to (the document is opened when it is not). */
async function siteOf(
  service: PythonService,
  docs: DocumentAnalyses,
  uriArg: unknown,
  index: unknown,
): Promise<{ result: DocumentResult; model: SiteModel } | undefined> {
  const uri = asUri(uriArg);
  if (!uri || typeof index !== 'number') return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = await docs.result(doc);
  const model = result ? await service.describe(result, index) : undefined;
  return result && model ? { result, model } : undefined;
}

/** Shows the model card of a site as a quick pick; returns the rows shown. */
export function showDetails(service: PythonService, docs: DocumentAnalyses) {
  return async (uri: unknown, index: unknown): Promise<string[] | undefined> => {
    const found = await siteOf(service, docs, uri, index);
    if (!found) return undefined;
    const eng = await service.engine();
    const rows = eng
      .modelCardLines(found.model)
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/\*\*|\*|`/g, ''));
    const items: Item[] = rows.map((l) => ({ label: l.startsWith('- ') ? `$(info) ${l.slice(2)}` : l }));
    void vscode.window.showQuickPick(items, {
      title: `GreenLens: ${found.model.label}`,
      placeHolder: 'Model card (estimates say how they were made)',
      matchOnDetail: true,
    });
    return rows;
  };
}

/** Profiles an ONNX Runtime session's model with the ONNX profiler, and any other site in the user's own Python. */
export function profileVariants(service: PythonService, docs: DocumentAnalyses) {
  return async (uri: unknown, index: unknown): Promise<unknown> => {
    const found = await siteOf(service, docs, uri, index);
    if (!found) return undefined;
    const site = found.model.site;
    if (site.framework !== 'onnxruntime' || !site.path) {
      // The PyTorch profiler says itself when a site is not one it can rebuild (Keras, ultralytics, ...).
      return vscode.commands.executeCommand(Commands.profileTorchModel, { uri: found.result.uri, site });
    }
    const target = await resolveModelPath(found.result.uri, site.path);
    if (!target) {
      void vscode.window.showWarningMessage(
        `GreenLens: ${site.path} was not found next to ${vscode.workspace.asRelativePath(found.result.uri)} or in the workspace.`,
      );
      return undefined;
    }
    await vscode.commands.executeCommand(Commands.profileOnnxModel, target);
    return target;
  };
}

/** A relative model path is tried next to the script, then in each workspace folder (where scripts usually run). */
async function resolveModelPath(script: vscode.Uri, p: string): Promise<vscode.Uri | undefined> {
  const candidates = path.isAbsolute(p)
    ? [vscode.Uri.file(p)]
    : [
        vscode.Uri.joinPath(script, '..', p),
        ...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, p)),
      ];
  for (const c of candidates) {
    try {
      await vscode.workspace.fs.stat(c);
      return c;
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}

/**
 * Lists greener alternatives ranked by yearly savings; choosing one proposes an edit that the user previews
 * and confirms (needsConfirmation), so nothing changes without an explicit decision.
 */
export function alternatives(service: PythonService, docs: DocumentAnalyses) {
  return async (uri: unknown, index: unknown): Promise<string | undefined> => {
    const found = await siteOf(service, docs, uri, index);
    if (!found) return undefined;
    const { model, result } = found;
    const eng = await service.engine();
    if (model.alternatives.length === 0) {
      void vscode.window.showInformationMessage(
        `GreenLens: the catalog has no greener alternative to ${model.label} that can replace it here.`,
      );
      return undefined;
    }
    const items = model.alternatives.map((alt) => ({
      ...eng.alternativeItem(alt, eng.alternativeName(model.site, alt) ?? alt.entry.name, service.settings.currency),
      alt,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Greener alternatives to ${model.label}`,
      placeHolder: `Ranked by yearly savings at ${service.settings.inferencesPerDay} inferences a day; choose one to preview the edit`,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    const doc = await vscode.workspace.openTextDocument(result.uri);
    const edits = eng.alternativeEdits(doc.getText(), model.site, picked.alt);
    if (!edits || doc.version !== result.version) {
      void vscode.window.showWarningMessage(
        `GreenLens could not find where to replace ${model.label}; edit it by hand to ${picked.label}.`,
      );
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    const meta = {
      label: `Replace ${model.label} with ${picked.label}`,
      needsConfirmation: true,
      description: picked.description,
    };
    for (const e of edits)
      edit.replace(
        doc.uri,
        new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
        e.newText,
        meta,
      );
    await vscode.workspace.applyEdit(edit);
    return picked.label;
  };
}

/** Shows what a training lens assumed. */
export function trainingDetails(service: PythonService, docs: DocumentAnalyses) {
  return async (uriArg: unknown, index: unknown): Promise<string[] | undefined> => {
    const uri = asUri(uriArg);
    if (!uri || typeof index !== 'number') return undefined;
    const result = await docs.result(await vscode.workspace.openTextDocument(uri));
    const loop = result?.analysis.trainingLoops[index];
    if (!result || !loop) return undefined;
    const [eng, hw] = await Promise.all([service.engine(), service.hardware()]);
    const m = loop.site === undefined ? undefined : await service.describe(result, loop.site);
    const summary = eng.summarizeTraining(loop, m?.match?.entry.id, hw, service.settings);
    const rows = [summary.title, ...summary.details, ...(hw?.notes ?? [])];
    void vscode.window.showQuickPick(
      rows.map((label) => ({ label })),
      { title: 'GreenLens: training estimate', placeHolder: 'What the estimate assumes' },
    );
    return rows;
  };
}

/** Opens a rule's documentation page in the Markdown preview (or as text when the preview is missing). */
export function showRuleDocs(service: PythonService) {
  return async (ruleId: unknown): Promise<void> => {
    if (typeof ruleId !== 'string' || !/^GL\d{3}$/.test(ruleId)) return;
    const uri = service.ruleDocs(ruleId);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.commands.executeCommand('vscode.open', uri);
    }
  };
}
