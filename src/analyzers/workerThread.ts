/**
 * Starting the analyzers' worker threads, shared by the Python pool and the ONNX inspector: which script
 * to run (TypeScript from source, a bundle in dist/) and how to start it in both cases.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * The worker script beside the calling module (give it `__filename`): `source` (a .ts file) when that
 * module runs from source under tsx, `bundle` (a .js file in dist/) in a bundle; undefined when missing.
 */
export function workerScriptBeside(caller: string, source: string, bundle: string): string | undefined {
  const candidate = path.join(path.dirname(caller), caller.endsWith('.ts') ? source : bundle);
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Starts a worker. From source (tests, benchmarks under tsx) the worker is TypeScript, so it first
 * registers tsx's require hook: `--import tsx` in execArgv does not reach worker threads on Node 20.
 */
export function startWorker(script: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData, resourceLimits });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, {
    eval: true,
    workerData,
    resourceLimits,
  });
}
