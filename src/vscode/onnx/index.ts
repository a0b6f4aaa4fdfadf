/** ONNX features of the editor: the .onnx viewer and the Models view (its refresh command is in the command table). */
import type { GreenLensContext } from '../context';
import { ModelsView } from './modelsView';
import { registerOnnxViewer } from './viewer';

export function registerOnnx(ctx: GreenLensContext): void {
  registerOnnxViewer(ctx);
  ctx.feature(ModelsView);
}
