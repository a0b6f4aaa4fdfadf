/**
 * The side bar's command handlers as plain functions: reveal a model in its editor, profile it, list its
 * greener alternatives, and open the full report beside the code. They take what the Models tree passes
 * (a node, or `{ uri, line, modelId }` from a row's click) and answer with nothing for anything else.
 */
import * as vscode from 'vscode';
import type { ReportModel } from '../../report/types';
import { Commands, InternalCommands } from '../commands/ids';
import type { GreenLensContext } from '../context';
import { ONNX_VIEW_TYPE } from '../onnx/viewer';
import { reportFeature } from '../report/index';

/** What a command got: the model's file, its 1-based line and its report id, when known. */
export interface ModelTarget {
  uri: vscode.Uri;
  line?: number;
  modelId?: string;
  onnx: boolean;
}

/** Reads a tree node or `{ uri, line, modelId }`; undefined for anything else. */
export function targetOf(arg: unknown): ModelTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { uri?: unknown; line?: unknown; modelId?: unknown; model?: ReportModel };
  if (!(a.uri instanceof vscode.Uri)) return undefined;
  const line = typeof a.line === 'number' ? a.line : a.model?.line;
  const modelId = typeof a.modelId === 'string' ? a.modelId : a.model?.id;
  return {
    uri: a.uri,
    onnx: a.uri.path.toLowerCase().endsWith('.onnx'),
    ...(line !== undefined ? { line } : {}),
    ...(modelId !== undefined ? { modelId } : {}),
  };
}

/** Opens the model's file: an ONNX file in the GreenLens viewer, Python at the model's line. */
export async function revealModel(arg: unknown): Promise<boolean> {
  const t = targetOf(arg);
  if (!t) return false;
  if (t.onnx) {
    await vscode.commands.executeCommand('vscode.openWith', t.uri, ONNX_VIEW_TYPE);
    return true;
  }
  const doc = await vscode.workspace.openTextDocument(t.uri);
  const at = doc.validatePosition(new vscode.Position(Math.max(0, (t.line ?? 1) - 1), 0));
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: true });
  return true;
}

/**
 * Runs the command of the Python lens above the model's line (Profile or Greener…), with the lens's own
 * arguments, so the tree does exactly what the lens does. Undefined when there is no such lens.
 */
async function runLens(t: ModelTarget, command: string): Promise<{ ran: true; result: unknown } | undefined> {
  if (t.line === undefined) return undefined;
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', t.uri, 100)) ?? [];
  const lens = lenses.find((l) => l.command?.command === command && l.range.start.line === t.line! - 1);
  if (!lens?.command) return undefined;
  return {
    ran: true,
    result: await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? [])),
  };
}

/** Profiles the model: an ONNX file with the ONNX profiler, a Python site as its lens does. */
export async function profileModel(arg: unknown): Promise<unknown> {
  const t = targetOf(arg);
  if (!t) return undefined;
  if (t.onnx) return vscode.commands.executeCommand(Commands.profileOnnxModel, t.uri);
  const ran = await runLens(t, InternalCommands.profileVariants);
  if (ran) return ran.result;
  // Lenses may be turned off: the PyTorch profiler finds the site at the line itself.
  return vscode.commands.executeCommand(Commands.profileTorchModel, {
    uri: t.uri,
    ...(t.line !== undefined ? { line: t.line } : {}),
  });
}

/** Greener alternatives: the catalog's for a Python site (as its lens), the report's options for an ONNX file. */
export async function greenerModel(ctx: GreenLensContext, arg: unknown): Promise<unknown> {
  const t = targetOf(arg);
  if (!t) return undefined;
  if (!t.onnx) {
    const ran = await runLens(t, InternalCommands.alternatives);
    if (ran) return ran.result;
    void vscode.window.showInformationMessage(
      'GreenLens: the catalog knows no greener alternative that can replace this model here.',
    );
    return undefined;
  }
  return openFullReport(ctx, t.modelId ? { modelId: t.modelId } : undefined);
}

/** Opens the full report beside the code, on the model given (a tree node or `{ modelId }`) when there is one. */
export async function openFullReport(ctx: GreenLensContext, arg?: unknown): Promise<string | undefined> {
  const { service, panel } = reportFeature(ctx);
  const t = targetOf(arg);
  const wanted =
    t?.modelId ??
    (typeof (arg as { modelId?: unknown } | undefined)?.modelId === 'string'
      ? (arg as { modelId: string }).modelId
      : undefined);
  await panel.show(wanted, vscode.ViewColumn.Beside);
  return service.current?.report.models.some((m) => m.id === wanted) ? wanted : undefined;
}
