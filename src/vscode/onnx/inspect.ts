/**
 * Inspects ONNX files for the editor, with a small cache keyed on path, size, mtime and batch so the
 * viewer, the Models view, the report and the commands share one reading. The reading runs on a worker
 * thread with a memory limit (OnnxInspector): the Models view reads every model of the workspace as soon
 * as it opens, untrusted ones included, and a hostile file must cost a worker, not the extension host.
 * Every bad file becomes an OnnxReadError with a human message.
 */
import { stat } from 'node:fs/promises';
import type * as vscode from 'vscode';
import type { OnnxSummary } from '../../analyzers/onnx/index';
import { OnnxInspector } from '../../analyzers/onnx/isolated';
import { defineFeature, type GreenLensContext } from '../context';

const MAX_ENTRIES = 64;

export class OnnxInspection implements vscode.Disposable {
  /** The worker-backed inspector, started on first use; in the bundle its script is dist/onnxWorker.js. */
  private inspector: OnnxInspector | undefined;
  private readonly cache = new Map<string, OnnxSummary>();
  private disposed = false;

  async inspect(file: string, batch: number): Promise<OnnxSummary> {
    const st = await stat(file);
    const key = `${file}\0${st.size}\0${st.mtimeMs}\0${batch}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (this.disposed) throw new Error('GreenLens is shutting down: ONNX files are no longer inspected.');
    this.inspector ??= new OnnxInspector();
    const summary = await this.inspector.inspect(file, { batch });
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, summary);
    return summary;
  }

  /** Stops the inspection worker (on deactivation); the context reports a failure to stop it. */
  dispose(): Promise<void> | undefined {
    this.disposed = true;
    const i = this.inspector;
    this.inspector = undefined;
    this.cache.clear();
    return i?.dispose();
  }
}

/** The activation's one inspection worker and cache. */
export const Inspection = defineFeature('ONNX inspection', (ctx) => {
  const inspection = new OnnxInspection();
  ctx.push(inspection);
  return inspection;
});

/** Inspects a file through the activation's shared worker and cache. */
export function inspectCached(ctx: GreenLensContext, file: string, batch?: number): Promise<OnnxSummary> {
  return ctx.feature(Inspection).inspect(file, batch ?? ctx.config.settings.onnxBatchSize);
}
