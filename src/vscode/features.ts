/**
 * Registers the editor features. Each feature module exports one `register…(ctx)` that only wires
 * providers and listeners; anything heavy (WASM grammars, onnxruntime, catalog data) loads on first use.
 * State a feature keeps lives in a `defineFeature` instance on the context, never in a module variable.
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
