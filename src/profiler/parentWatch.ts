/**
 * Ends a worker process when the process that started it is gone. The IPC channel's 'disconnect' event
 * covers the usual case, but only while the event loop turns: onnxruntime's run() (and a variant's
 * build, and loading a model) are synchronous native calls that can hold the main thread for minutes, and
 * a worker whose host was killed would go on at full CPU until its job ended. So a small thread, which
 * the main thread's native calls do not block, checks the parent every quarter second and kills this
 * process when it has gone: on POSIX the orphan is re-parented (its ppid changes); on Windows, where the
 * ppid stays, the old parent's pid no longer answers. Starting the thread costs the main thread 8 to 25 ms
 * (measured on a loaded two-core machine), once per worker and before any timing loop; it then sleeps.
 */
import { Worker } from 'node:worker_threads';

/** How often the thread checks, ms. */
export const PARENT_CHECK_MS = 250;

// Plain JavaScript evaluated in the thread, so the bundle needs no second entry point.
const WATCH = `
const { workerData } = require('node:worker_threads');
const gone = () => {
  if (process.ppid !== workerData.ppid) return true;
  try { process.kill(workerData.ppid, 0); return false; } catch (e) { return e.code === 'ESRCH'; }
};
setInterval(() => { if (gone()) process.kill(process.pid, 'SIGKILL'); }, workerData.everyMs);
`;

/** Starts the watch; the process exits at once when the IPC channel closes, or within a check when the parent dies. */
export function exitWithParent(): void {
  process.once('disconnect', () => process.exit(0));
  const watcher = new Worker(WATCH, { eval: true, workerData: { ppid: process.ppid, everyMs: PARENT_CHECK_MS } });
  // The thread must never keep the worker alive by itself, nor take it down with an error of its own.
  watcher.unref();
  watcher.on('error', () => undefined);
}
