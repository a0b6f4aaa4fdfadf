/** ONNX features of the editor: the .onnx viewer, the Models view and its refresh command. */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import { disposeOnnxInspector } from './inspect';
import { registerModelsView } from './modelsView';
import { registerOnnxViewer } from './viewer';

export function registerOnnx(ctx: GreenLensContext): void {
  registerOnnxViewer(ctx);
  const models = registerModelsView(ctx);
  ctx.push(vscode.commands.registerCommand('greenlens.refreshModels', () => models.refresh()));
  ctx.push({ dispose: () => void disposeOnnxInspector() });
}
