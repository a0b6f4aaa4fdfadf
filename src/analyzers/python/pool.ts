/**
 * Analyzes many Python files on worker threads (one per core), with the same analysis as the editor.
 * Falls back to the current thread when no worker script is available (a bundle built without it) or
 * when one worker is asked for.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerScriptBeside } from '../workerThread';
import { analyzeFile, type FileAnalysis, type FileAnalyzeOptions } from './files';
import { loadPythonGrammar } from './treeSitter';
import type { FromWorker, ToWorker, WorkerInit } from './worker';

export type { FileAnalysis, FileAnalyzeOptions } from './files';

/** Options of {@link analyzePythonFiles}. */
export interface WorkspaceAnalyzeOptions extends FileAnalyzeOptions {
  /** Worker threads to use (default: one per core); 1 or 0 analyzes on the current thread. */
  workers?: number;
  /** Folder of the WASM files, passed to each worker's `loadPythonGrammar`. */
  wasmDir?: string;
  /** The worker script; by default `worker.ts` next to this module from source, `pythonWorker.js` in a bundle. */
  workerScript?: string;
  signal?: AbortSignal;
  /** Called after each finished batch with the number of files done. */
  onProgress?: (done: number, total: number) => void;
}

/** The worker script to start, or undefined when none exists (then the analysis runs in-process). */
export function defaultWorkerScript(): string | undefined {
  return workerScriptBeside(__filename, 'worker.ts', 'pythonWorker.js');
}

/** Analyzes files and returns one result per file, in the input order. Never rejects for a bad file. */
export async function analyzePythonFiles(files: string[], opts: WorkspaceAnalyzeOptions = {}): Promise<FileAnalysis[]> {
  const workers = Math.min(opts.workers ?? availableParallelism(), Math.max(1, Math.ceil(files.length / 4)));
  const script = opts.workerScript ?? defaultWorkerScript();
  if (workers <= 1 || !script) return analyzeInProcess(files, opts);
  const pool = new PythonAnalyzerPool({ ...opts, workers, workerScript: script });
  try {
    return await pool.analyze(files, opts.signal, opts.onProgress);
  } finally {
    await pool.close();
  }
}

async function analyzeInProcess(files: string[], opts: WorkspaceAnalyzeOptions): Promise<FileAnalysis[]> {
  await loadPythonGrammar(opts.wasmDir);
  const out: FileAnalysis[] = [];
  for (const f of files) {
    opts.signal?.throwIfAborted();
    out.push(await analyzeFile(f, fileOptions(opts)));
    opts.onProgress?.(out.length, files.length);
  }
  return out;
}

function fileOptions(opts: WorkspaceAnalyzeOptions): FileAnalyzeOptions {
  const { timeoutMs, prefilter, torchVersion, longTrainingEpochs, severity, maxBytes, workspaceRoots } = opts;
  return { timeoutMs, prefilter, torchVersion, longTrainingEpochs, severity, maxBytes, workspaceRoots };
}

/** Small batches keep every worker busy to the end even when file sizes vary a lot. */
const BATCH = 4;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
}

/**
 * A pool of analyzer workers that stays up between runs (the editor re-analyzes a workspace many times;
 * each worker loads the WASM grammar once). One `analyze` call at a time.
 */
export class PythonAnalyzerPool {
  private readonly slots: Slot[];
  private onMessage: ((slot: Slot, msg: FromWorker) => void) | undefined;
  private onFailure: ((err: Error) => void) | undefined;

  constructor(opts: WorkspaceAnalyzeOptions & { workers: number; workerScript: string }) {
    const init: WorkerInit = { wasmDir: opts.wasmDir, options: fileOptions(opts) };
    this.slots = Array.from({ length: opts.workers }, () => {
      const worker = startWorker(opts.workerScript, { greenlensPythonWorker: init });
      const slot = { worker } as Slot;
      slot.ready = new Promise<void>((resolve, reject) => {
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'ready') resolve();
          else if (msg.type === 'fatal') {
            reject(new Error(msg.message));
            this.onFailure?.(new Error(msg.message));
          } else this.onMessage?.(slot, msg);
        });
        worker.on('error', (err) => {
          reject(err);
          this.onFailure?.(err);
        });
      });
      slot.ready.catch(() => undefined);
      return slot;
    });
  }

  /** Resolves when every worker has loaded the grammar. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** Analyzes files on the workers; results come back in input order. */
  async analyze(
    files: string[],
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<FileAnalysis[]> {
    await this.ready();
    const results = new Map<string, FileAnalysis>();
    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
    let next = 0;
    let running = 0;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (slot: Slot): void => {
        const batch = signal?.aborted ? undefined : batches[next];
        if (batch) {
          running++;
          slot.worker.postMessage({ type: 'job', id: next++, files: batch } satisfies ToWorker);
        } else if (running === 0) {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      this.onFailure = reject;
      this.onMessage = (slot, msg) => {
        if (msg.type !== 'result') return;
        running--;
        for (const r of msg.results) results.set(r.file, r);
        onProgress?.(results.size, files.length);
        feed(slot);
      };
      for (const slot of this.slots) feed(slot);
    });
    signal?.throwIfAborted();
    return files.map((f) => results.get(f) ?? { file: f, bytes: 0, error: 'Not analyzed.' });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
