/**
 * Inspects ONNX files for the editor, with a small cache keyed on path, size, mtime and batch so the
 * viewer, the Models view and the commands share one reading. The reader never loads weights and every
 * bad file becomes an OnnxReadError with a human message.
 */
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type * as OnnxAnalyzer from '../../analyzers/onnx/index';
import type { OnnxSummary } from '../../analyzers/onnx/index';

let analyzer: typeof OnnxAnalyzer | undefined;
/** Loads the ONNX analyzer on first use: evaluating it (protobuf schema included) costs more than activation may. */
function onnxAnalyzer(): typeof OnnxAnalyzer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  analyzer ??= require('../../analyzers/onnx/index') as typeof OnnxAnalyzer;
  return analyzer;
}

const cache = new Map<string, OnnxSummary>();
const MAX_ENTRIES = 64;

export async function inspectCached(path: string, batch = configuredBatch()): Promise<OnnxSummary> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}\0${batch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Yield to the event loop first: the read itself is synchronous and takes well under a second even
  // for a 350 MB model, because weights are skipped.
  await new Promise((r) => setImmediate(r));
  const summary = onnxAnalyzer().inspectOnnxFile(path, { batch });
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, summary);
  return summary;
}

/** The `greenlens.onnx.batchSize` setting, or 1 when it is unusable. */
export function configuredBatch(): number {
  const b = vscode.workspace.getConfiguration('greenlens').get<unknown>('onnx.batchSize');
  return typeof b === 'number' && Number.isInteger(b) && b >= 1 && b <= 65_536 ? b : 1;
}
