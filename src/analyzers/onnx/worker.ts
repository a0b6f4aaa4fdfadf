/**
 * Worker thread of the isolated ONNX inspector (isolated.ts): summarises one model file per request. It
 * runs with a memory limit, so that a file which makes the reader allocate without bound ends this thread
 * and not the process that asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { OnnxReadError, inspectOnnxFile, type DimOptions, type OnnxSummary } from './index';
import { OnnxLimitError, type OnnxLimit } from './limits';

/** A request from the host. */
export interface InspectRequest {
  id: number;
  file: string;
  dims: DimOptions;
}

/** An error as it crosses the thread boundary; `limit` and `max` are set for an OnnxLimitError. */
export interface InspectFailure {
  code?: OnnxReadError['code'];
  message: string;
  limit?: OnnxLimit;
  max?: number;
  offset?: number;
}

/** The answer to one request. */
export type InspectResponse = { id: number; summary: OnnxSummary } | { id: number; error: InspectFailure };

function failure(err: unknown): InspectFailure {
  if (err instanceof OnnxLimitError)
    return { code: err.code, message: err.message, limit: err.limit, max: err.max, offset: err.offset };
  if (err instanceof OnnxReadError) return { code: err.code, message: err.message, offset: err.offset };
  return { message: err instanceof Error ? err.message : String(err) };
}

function answer(req: InspectRequest): InspectResponse {
  try {
    return { id: req.id, summary: inspectOnnxFile(req.file, req.dims) };
  } catch (err) {
    return { id: req.id, error: failure(err) };
  }
}

if (parentPort && (workerData as { greenlensOnnxWorker?: boolean } | null)?.greenlensOnnxWorker) {
  const port = parentPort;
  port.on('message', (req: InspectRequest) => port.postMessage(answer(req)));
}
