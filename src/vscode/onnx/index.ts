/** ONNX features of the editor: the .onnx viewer (the inspection worker is a feature of the context). */
import type { GreenLensContext } from '../context';
import { registerOnnxViewer } from './viewer';

export function registerOnnx(ctx: GreenLensContext): void {
  registerOnnxViewer(ctx);
}
