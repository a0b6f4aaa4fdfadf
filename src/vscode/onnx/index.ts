/** ONNX features of the editor: the .onnx viewer and the inspection worker's lifetime. */
import type { GreenLensContext } from '../context';
import { disposeOnnxInspector } from './inspect';
import { registerOnnxViewer } from './viewer';

export function registerOnnx(ctx: GreenLensContext): void {
  registerOnnxViewer(ctx);
  ctx.push({ dispose: () => void disposeOnnxInspector() });
}
