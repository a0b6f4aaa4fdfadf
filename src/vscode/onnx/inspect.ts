/**
 * Inspects ONNX files for the editor, with a small cache keyed on path, size, mtime and batch so the
 * viewer, the Models view and the commands share one reading. The reading runs on a worker thread with a
 * memory limit (OnnxInspector): the Models view reads every model of the workspace as soon as it opens,
 * untrusted ones included, and a hostile file must cost a worker, not the extension host. Every bad file
 * becomes an OnnxReadError with a human message.
 */
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { OnnxSummary } from '../../analyzers/onnx/index';
import { OnnxInspector } from '../../analyzers/onnx/isolated';

let inspector: OnnxInspector | undefined;
/** The worker-backed inspector, started on first use; in the bundle its script is dist/onnxWorker.js. */
function onnxInspector(): OnnxInspector {
  inspector ??= new OnnxInspector();
  return inspector;
}

/** Stops the inspection worker (on deactivation). */
export async function disposeOnnxInspector(): Promise<void> {
  const i = inspector;
  inspector = undefined;
  await i?.dispose();
}

const cache = new Map<string, OnnxSummary>();
const MAX_ENTRIES = 64;

export async function inspectCached(file: string, batch = configuredBatch()): Promise<OnnxSummary> {
  const st = await stat(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}\0${batch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const summary = await onnxInspector().inspect(file, { batch });
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, summary);
  return summary;
}

/** The `greenlens.onnx.batchSize` setting, or 1 when it is unusable. */
export function configuredBatch(): number {
  const b = vscode.workspace.getConfiguration('greenlens').get<unknown>('onnx.batchSize');
  return typeof b === 'number' && Number.isInteger(b) && b >= 1 && b <= 65_536 ? b : 1;
}
