/**
 * Inspects ONNX files on a worker thread with a memory limit, for hosts that must not fall over on a bad
 * file (the editor's extension host reads every model of a workspace, untrusted ones included). A file
 * that exhausts the worker's heap or runs past the time limit ends only the worker; its request fails with
 * an OnnxReadError that says so, and the next request starts a fresh worker.
 */
import type { Worker } from 'node:worker_threads';
import { OnnxReadError } from './errors';
import { OnnxLimitError } from './limits';
import { startWorker, workerScriptBeside } from '../workerThread';
import type { DimOptions } from './shapes/infer';
import type { OnnxSummary } from './summary';
import type { InspectFailure, InspectRequest, InspectResponse } from './worker';

/** Options of {@link OnnxInspector}. */
export interface OnnxInspectorOptions {
  /** The worker script; by default `worker.ts` beside this module from source, `onnxWorker.js` in a bundle. */
  workerScript?: string;
  /** Heap limit of the worker in MB (V8's old generation); default 512. */
  memoryLimitMb?: number;
  /** Wall-clock limit of one inspection in milliseconds; default 60 s. */
  timeoutMs?: number;
}

interface Job {
  req: InspectRequest;
  resolve(summary: OnnxSummary): void;
  reject(err: Error): void;
}

/** The error of a failure reported by the worker, of the same class and message as in-process. */
function errorOf(f: InspectFailure): Error {
  if (f.limit && f.max !== undefined) return new OnnxLimitError(f.limit, f.max, f.offset);
  if (f.code) return new OnnxReadError(f.code, f.message);
  return new Error(f.message);
}

/** One worker, one inspection at a time, requests queued in order. */
export class OnnxInspector {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private disposed = false;
  private readonly script: string | undefined;
  private readonly memoryLimitMb: number;
  private readonly timeoutMs: number;
  /** Workers started so far (a fresh one after each that was stopped), for tests and logs. */
  started = 0;

  constructor(opts: OnnxInspectorOptions = {}) {
    this.script = opts.workerScript ?? workerScriptBeside(__filename, 'worker.ts', 'onnxWorker.js');
    this.memoryLimitMb = opts.memoryLimitMb ?? 512;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Summarises a model file on the worker; rejects with OnnxReadError for a bad or hostile file. */
  inspect(file: string, dims: DimOptions = {}): Promise<OnnxSummary> {
    if (this.disposed) return Promise.reject(new Error('The ONNX inspector was disposed.'));
    if (!this.script) return Promise.reject(new Error('The ONNX worker script is missing from this build.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, file, dims }, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; queued requests are rejected. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    clearTimeout(this.timer);
    for (const j of jobs) j.reject(new Error('The ONNX inspector was disposed.'));
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    const worker = (this.worker ??= this.spawn());
    this.timer = setTimeout(
      () => this.fail(worker, `reading it took longer than ${this.timeoutMs / 1000} s`),
      this.timeoutMs,
    );
    worker.postMessage(job.req);
  }

  private spawn(): Worker {
    this.started++;
    const worker = startWorker(
      this.script as string,
      { greenlensOnnxWorker: true },
      { maxOldGenerationSizeMb: this.memoryLimitMb, maxYoungGenerationSizeMb: 32 },
    );
    worker.on('message', (msg: InspectResponse) => this.done(msg));
    // ERR_WORKER_OUT_OF_MEMORY arrives here; the worker is gone afterwards.
    worker.on('error', (err: Error) =>
      this.fail(
        worker,
        (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `reading it needed more than ${this.memoryLimitMb} MB of memory`
          : `the reader failed (${err.message})`,
      ),
    );
    worker.on('exit', (code) => this.fail(worker, `the reader stopped (exit code ${code})`));
    // An idle worker must not keep a CLI or a test process alive.
    worker.unref();
    return worker;
  }

  private done(msg: InspectResponse): void {
    const job = this.current;
    if (!job || job.req.id !== msg.id) return;
    clearTimeout(this.timer);
    this.current = undefined;
    if ('summary' in msg) job.resolve(msg.summary);
    else job.reject(errorOf(msg.error));
    this.pump();
  }

  /** Ends a worker that ran out of memory or time; the current request fails and the next starts a new one. */
  private fail(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    clearTimeout(this.timer);
    void worker.terminate();
    const job = this.current;
    this.current = undefined;
    job?.reject(
      new OnnxReadError(
        'too-large',
        `${job.req.file}: ${why}, so it was stopped; the file is corrupt, hostile or too large to summarise`,
      ),
    );
    this.pump();
  }
}
