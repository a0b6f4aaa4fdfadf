/**
 * Typed messages between the extension host and its webviews (the .onnx viewer and the report panel).
 * Each side validates what it receives with these guards: a webview is another trust domain.
 */
import type { OnnxView } from './analyzers/onnx/viewTypes';

export interface ViewerReady { type: 'ready' }
export interface ViewerProfile { type: 'profile' }
export interface ViewerSetBatch { type: 'setBatch'; batch: number }
export type OnnxViewerToHost = ViewerReady | ViewerProfile | ViewerSetBatch;

export interface ViewerShow { type: 'show'; view: OnnxView; canProfile: boolean; batch: number }
export interface ViewerError { type: 'error'; message: string }
export type HostToOnnxViewer = ViewerShow | ViewerError;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const MAX_BATCH = 65_536;

export function isOnnxViewerToHost(v: unknown): v is OnnxViewerToHost {
  if (!isObject(v)) return false;
  if (v.type === 'ready' || v.type === 'profile') return Object.keys(v).length === 1;
  if (v.type === 'setBatch') return Number.isInteger(v.batch) && (v.batch as number) >= 1 && (v.batch as number) <= MAX_BATCH;
  return false;
}

export function isHostToOnnxViewer(v: unknown): v is HostToOnnxViewer {
  if (!isObject(v)) return false;
  if (v.type === 'show') return isObject(v.view) && typeof v.canProfile === 'boolean' && typeof v.batch === 'number';
  if (v.type === 'error') return typeof v.message === 'string';
  return false;
}
