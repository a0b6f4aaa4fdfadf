/**
 * The profiler worker: a child process that owns onnxruntime-node. onnxruntime's run() is a synchronous
 * native call behind a promise, so profiling in the extension host would freeze it; here a crash, a hang
 * or an out-of-memory kill costs only this process. Messages follow protocol.ts beside it.
 */
import { isHostToWorker, type HostToWorker, type WorkerToHost } from './protocol';
import { runJob } from './inWorker/job';
import { runInterleaved } from './inWorker/interleaved';
import { ort } from './inWorker/ort';
import { exitWithParent } from './parentWatch';

function send(msg: WorkerToHost): void {
  process.send?.(msg);
}

async function handle(msg: HostToWorker): Promise<void> {
  if (msg.type === 'ping') {
    const o = ort();
    send({
      type: 'pong',
      id: msg.id,
      ortVersion: o.env.versions.node ?? 'unknown',
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    });
    return;
  }
  if (msg.type === 'interleave') {
    const outcome = await runInterleaved(msg.job, (p) => send({ type: 'progress', id: msg.id, ...p }));
    send({ type: 'interleaved', id: msg.id, outcome });
    return;
  }
  const outcome = await runJob(msg.job, (p) => send({ type: 'progress', id: msg.id, ...p }));
  send({ type: 'measured', id: msg.id, outcome });
}

// A worker whose host was killed must not keep measuring at full CPU on its own.
exitWithParent();

process.on('message', (msg: unknown) => {
  if (!isHostToWorker(msg)) {
    send({ type: 'error', id: -1, message: 'The profiler worker received a malformed message.' });
    return;
  }
  handle(msg).catch((err: unknown) => {
    const e = err as Error;
    send({ type: 'error', id: msg.id, message: e.message || String(err) });
  });
});
