/**
 * Registers the editor features. Each feature module exports one `register…(ctx)` that only wires
 * providers and listeners; anything heavy (WASM grammars, onnxruntime, catalog data) loads on first use.
 */
import type { GreenLensContext } from './context';
import { registerOnnx } from './onnx/index';
import { registerPython } from './python/index';
import { registerReport } from './report/index';
import { registerSidebar } from './sidebar/index';

export function registerFeatures(ctx: GreenLensContext): void {
  // Feature registrations are added here, one line each.
  registerOnnx(ctx);
  registerPython(ctx);
  registerReport(ctx);
  registerSidebar(ctx);
}
