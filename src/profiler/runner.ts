/**
 * Runs profiler jobs in a child process (dist/worker.js), one at a time. A newer job, a cancel (through
 * an AbortSignal), a timeout or the child's death ends the current job cleanly with a typed error.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { isWorkerToHost, type HostToWorker, type WorkerToHost } from '../protocol';

export class ProfilerJobError extends Error {
  constructor(message: string, readonly reason: 'cancelled' | 'timeout' | 'crashed' | 'superseded' | 'failed') {
    super(message);
    this.name = 'ProfilerJobError';
  }
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Pending = { reject: (e: Error) => void; child: ChildProcess };

export class ProfilerRunner {
  private nextId = 1;
  private current: Pending | undefined;

  constructor(private readonly workerPath: string) {}

  /** Sends one request to a fresh worker and resolves with its first answer of the same id. */
  request(msg: Omit<HostToWorker, 'id'>, opts: RunOptions = {}): Promise<WorkerToHost> {
    this.current?.reject(new ProfilerJobError('A newer profiling job replaced this one.', 'superseded'));
    const id = this.nextId++;
    const child = fork(this.workerPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    return new Promise<WorkerToHost>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.current?.child === child) this.current = undefined;
        if (child.exitCode === null) child.kill('SIGKILL');
        fn();
      };
      const pending: Pending = { child, reject: (e) => finish(() => reject(e)) };
      this.current = pending;
      const onAbort = () => pending.reject(new ProfilerJobError('Profiling was cancelled.', 'cancelled'));
      const timer = setTimeout(() => pending.reject(new ProfilerJobError(`Profiling took longer than ${opts.timeoutMs} ms and was stopped.`, 'timeout')), opts.timeoutMs ?? 600_000);
      if (opts.signal?.aborted) { onAbort(); return; }
      opts.signal?.addEventListener('abort', onAbort);
      child.on('message', (m: unknown) => {
        if (isWorkerToHost(m) && m.id === id) finish(() => resolve(m));
      });
      child.on('exit', (code, sig) => {
        const why = sig === 'SIGKILL' ? 'was killed (out of memory?)' : `exited with code ${code}`;
        pending.reject(new ProfilerJobError(`The profiler process ${why} before answering.${stderr ? ` Its last output: ${stderr.trim()}` : ''}`, 'crashed'));
      });
      child.on('error', (e) => pending.reject(new ProfilerJobError(`The profiler process could not start: ${e.message}`, 'failed')));
      child.send({ ...msg, id } as HostToWorker);
    });
  }

  dispose(): void {
    this.current?.reject(new ProfilerJobError('GreenLens is shutting down.', 'cancelled'));
  }
}
