/**
 * Runs profiler jobs in a child process (dist/worker.js, or the TypeScript worker through tsx when
 * GreenLens itself runs from source), one at a time. A newer job, a cancel (through an AbortSignal), a
 * timeout or the child's death ends the current job cleanly with a typed error; progress messages are
 * streamed to a callback on the way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { timerDelay } from '../settings';
import { envWithOrtTelemetryOff } from './ortPrivacy';
import {
  isFinalAnswer,
  isWorkerToHost,
  type HostToWorker,
  type MeasureJob,
  type MeasureOutcome,
  type WorkerProgress,
  type WorkerToHost,
} from './protocol';

/** Why a job ended without an answer. */
export type JobFailure = 'cancelled' | 'timeout' | 'crashed' | 'superseded' | 'failed';

export class ProfilerJobError extends Error {
  constructor(
    message: string,
    readonly reason: JobFailure,
  ) {
    super(message);
    this.name = 'ProfilerJobError';
  }
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Receives the worker's progress messages for this job. */
  onProgress?: (p: WorkerProgress) => void;
}

/** How to start the worker: a script and the node flags it needs. */
export interface WorkerSpec {
  path: string;
  execArgv?: string[];
  /** Limit of the worker's JavaScript heap in MB (native onnxruntime memory is not covered). */
  maxOldSpaceMb?: number;
}

/**
 * The worker next to this module: dist/worker.js in a bundle; from source (tests, tsx), worker.ts
 * through tsx's loader so that no stale bundle is ever measured.
 */
export function defaultWorker(): WorkerSpec {
  if (__filename.endsWith('.ts')) return { path: path.join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
  const bundled = path.join(__dirname, 'worker.js');
  return { path: existsSync(bundled) ? bundled : path.join(__dirname, '..', '..', 'dist', 'worker.js') };
}

/** A request without its id (Omit distributed over the union). */
type Request = HostToWorker extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never;

type Pending = { reject: (e: Error) => void; child: ChildProcess };

export class ProfilerRunner {
  private nextId = 1;
  private current: Pending | undefined;
  private readonly worker: WorkerSpec;

  constructor(worker: string | WorkerSpec = defaultWorker()) {
    this.worker = typeof worker === 'string' ? { path: worker } : worker;
  }

  /** Process id of the worker running the current job (tests use it to simulate a crash). */
  get currentPid(): number | undefined {
    return this.current?.child.pid;
  }

  private spawn(): ChildProcess {
    const execArgv = [...(this.worker.execArgv ?? [])];
    if (this.worker.maxOldSpaceMb) execArgv.push(`--max-old-space-size=${this.worker.maxOldSpaceMb}`);
    return fork(this.worker.path, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      execArgv,
      env: envWithOrtTelemetryOff(),
    });
  }

  /** Sends one request to a fresh worker and resolves with its first final answer of the same id. */
  request(msg: Request, opts: RunOptions = {}): Promise<WorkerToHost> {
    this.current?.reject(new ProfilerJobError('A newer profiling job replaced this one.', 'superseded'));
    const id = this.nextId++;
    const child = this.spawn();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.stdout?.resume();
    return new Promise<WorkerToHost>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (this.current?.child === child) this.current = undefined;
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        fn();
      };
      const pending: Pending = { child, reject: (e) => finish(() => reject(e)) };
      this.current = pending;
      const onAbort = () => pending.reject(new ProfilerJobError('Profiling was cancelled.', 'cancelled'));
      const timeoutMs = opts.timeoutMs ?? 600_000;
      const timer = setTimeout(
        () =>
          pending.reject(
            new ProfilerJobError(
              `The job took longer than ${Math.round(timeoutMs / 1000)} s and was stopped (a hang in onnxruntime?).`,
              'timeout',
            ),
          ),
        timerDelay(timeoutMs),
      );
      if (opts.signal?.aborted) {
        onAbort();
        return;
      }
      opts.signal?.addEventListener('abort', onAbort);
      child.on('message', (m: unknown) => {
        if (!isWorkerToHost(m) || m.id !== id) return;
        if (!isFinalAnswer(m)) opts.onProgress?.(m as WorkerProgress);
        else finish(() => resolve(m));
      });
      child.on('exit', (code, sig) => {
        const why =
          sig === 'SIGKILL'
            ? 'was killed (out of memory?)'
            : sig
              ? `died of signal ${sig}`
              : `exited with code ${code}`;
        const tail = stderr.trim().split('\n').slice(-6).join('\n');
        pending.reject(
          new ProfilerJobError(
            `The profiler process ${why} before answering.${tail ? ` Its last output: ${tail}` : ''}`,
            'crashed',
          ),
        );
      });
      child.on('error', (e) =>
        pending.reject(new ProfilerJobError(`The profiler process could not start: ${e.message}`, 'failed')),
      );
      child.send({ ...msg, id } as HostToWorker);
    });
  }

  /** Measures one variant; worker-side errors become ProfilerJobError('failed'). */
  async measure(job: MeasureJob, opts: RunOptions = {}): Promise<MeasureOutcome> {
    const answer = await this.request({ type: 'measure', job }, opts);
    if (answer.type === 'measured') return answer.outcome;
    if (answer.type === 'error') throw new ProfilerJobError(answer.message, 'failed');
    throw new ProfilerJobError(`unexpected answer ${answer.type}`, 'failed');
  }

  dispose(): void {
    this.current?.reject(new ProfilerJobError('GreenLens is shutting down.', 'cancelled'));
  }
}
