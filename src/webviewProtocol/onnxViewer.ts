/**
 * Typed messages between the extension host and the .onnx viewer, with the guards each side applies to
 * what it receives.
 */
import type { OnnxView } from '../analyzers/onnx/viewTypes';
import { inSettingRange } from '../settings';
import { isObject } from './guards';

export interface ViewerReady {
  type: 'ready';
}
export interface ViewerProfile {
  type: 'profile';
}
export interface ViewerSetBatch {
  type: 'setBatch';
  batch: number;
}
export type OnnxViewerToHost = ViewerReady | ViewerProfile | ViewerSetBatch;

export interface ViewerShow {
  type: 'show';
  view: OnnxView;
  canProfile: boolean;
  batch: number;
}
export interface ViewerError {
  type: 'error';
  message: string;
}
export type HostToOnnxViewer = ViewerShow | ViewerError;

/** Validates a message from the viewer: a batch it asks for must lie in the batch-size setting's range. */
export function isOnnxViewerToHost(v: unknown): v is OnnxViewerToHost {
  if (!isObject(v)) return false;
  if (v.type === 'ready' || v.type === 'profile') return Object.keys(v).length === 1;
  if (v.type === 'setBatch') return Number.isInteger(v.batch) && inSettingRange('onnxBatchSize', v.batch);
  return false;
}

/** Validates a message from the host to the viewer. */
export function isHostToOnnxViewer(v: unknown): v is HostToOnnxViewer {
  if (!isObject(v)) return false;
  if (v.type === 'show') return isObject(v.view) && typeof v.canProfile === 'boolean' && typeof v.batch === 'number';
  if (v.type === 'error') return typeof v.message === 'string';
  return false;
}
