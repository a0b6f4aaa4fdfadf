/** GreenLens: Inspect ONNX Model — opens the model in the GreenLens viewer and returns its summary. */
import * as vscode from 'vscode';
import type { OnnxSummary } from '../../analyzers/onnx/index';
import type { GreenLensContext } from '../context';
import { inspectCached } from '../onnx/inspect';
import { ONNX_VIEW_TYPE } from '../onnx/viewer';

/** Picks an ONNX file: the argument (explorer, tree view), else a quick pick over the workspace's. */
export async function pickOnnxFile(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const files = await vscode.workspace.findFiles('**/*.onnx', '**/{node_modules,.git}/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('GreenLens: this workspace has no .onnx files.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title, placeHolder: 'Choose an ONNX model' },
  );
  return picked?.uri;
}

export function inspectOnnxModel(ctx: GreenLensContext) {
  return async (arg?: unknown): Promise<OnnxSummary | undefined> => {
    const uri = await pickOnnxFile(arg, 'GreenLens: Inspect ONNX Model');
    if (!uri) return undefined;
    try {
      const summary = await inspectCached(ctx, uri.fsPath);
      await vscode.commands.executeCommand('vscode.openWith', uri, ONNX_VIEW_TYPE);
      return summary;
    } catch (err) {
      ctx.log.warn(`Inspect failed for ${uri.fsPath}: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(
        `GreenLens could not read ${vscode.workspace.asRelativePath(uri)}: ${(err as Error).message}`,
      );
      return undefined;
    }
  };
}
