/**
 * The profiler worker: a child process that owns onnxruntime-node. onnxruntime's run() is a synchronous
 * native call behind a promise, so profiling in the extension host would freeze it; here a crash, a hang
 * or an out-of-memory kill costs only this process. Messages follow src/protocol.ts.
 */
import { isHostToWorker, type WorkerToHost } from '../protocol';

function send(msg: WorkerToHost): void {
  process.send?.(msg);
}

process.on('message', (msg: unknown) => {
  if (!isHostToWorker(msg)) {
    send({ type: 'error', id: -1, message: 'The profiler worker received a malformed message.' });
    return;
  }
  try {
    // Loaded on first use: the native addon costs tens of milliseconds to load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as { env: { versions: { node?: string } } };
    send({ type: 'pong', id: msg.id, ortVersion: ort.env.versions.node ?? 'unknown', node: process.version, platform: process.platform, arch: process.arch });
  } catch (err) {
    send({ type: 'error', id: msg.id, message: `onnxruntime-node could not be loaded: ${(err as Error).message}` });
  }
});
