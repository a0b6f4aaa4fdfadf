/**
 * Typed messages shared by the extension host, the profiler worker (a child process) and the report
 * webview. Every message has a discriminating `type`; every receiver validates with the guards below
 * before acting, because a child process or a webview is another trust domain.
 */

// ---------- host <-> profiler worker ----------

export interface WorkerPing { type: 'ping'; id: number }
export interface WorkerPong { type: 'pong'; id: number; ortVersion: string; node: string; platform: string; arch: string }
export interface WorkerError { type: 'error'; id: number; message: string }

export type HostToWorker = WorkerPing;
export type WorkerToHost = WorkerPong | WorkerError;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isHostToWorker(v: unknown): v is HostToWorker {
  return isObject(v) && v.type === 'ping' && typeof v.id === 'number';
}

export function isWorkerToHost(v: unknown): v is WorkerToHost {
  if (!isObject(v) || typeof v.id !== 'number') return false;
  if (v.type === 'pong') return typeof v.ortVersion === 'string' && typeof v.node === 'string';
  if (v.type === 'error') return typeof v.message === 'string';
  return false;
}

// ---------- host <-> report webview ----------

export interface WebviewReady { type: 'ready' }
export type WebviewToHost = WebviewReady;

export interface HostShowReport { type: 'showReport'; report: unknown }
export type HostToWebview = HostShowReport;

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  return isObject(v) && v.type === 'ready';
}
