/**
 * Worker thread of the workspace analyzer: loads the grammar once, then analyzes the batches of files the
 * main thread sends. WASM parsing is CPU-bound and single-threaded, so workers are how it uses every core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFileSync, type FileAnalysis, type FileAnalyzeOptions } from './files';
import { loadPythonGrammar } from './treeSitter';

/** Messages from the main thread. */
export type ToWorker = { type: 'job'; id: number; files: string[] } | { type: 'stop' };
/** Messages to the main thread. */
export type FromWorker =
  { type: 'ready' } | { type: 'result'; id: number; results: FileAnalysis[] } | { type: 'fatal'; message: string };

/** Data given to each worker at start. */
export interface WorkerInit {
  wasmDir?: string;
  options: FileAnalyzeOptions;
}

async function start(port: NonNullable<typeof parentPort>, init: WorkerInit): Promise<void> {
  try {
    await loadPythonGrammar(init.wasmDir);
  } catch (err) {
    port.postMessage({ type: 'fatal', message: (err as Error).message } satisfies FromWorker);
    return;
  }
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    const results: FileAnalysis[] = msg.files.map((f) => analyzeFileSync(f, init.options));
    port.postMessage({ type: 'result', id: msg.id, results } satisfies FromWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (parentPort && (workerData as { greenlensPythonWorker?: WorkerInit } | null)?.greenlensPythonWorker) {
  void start(parentPort, (workerData as { greenlensPythonWorker: WorkerInit }).greenlensPythonWorker);
}
