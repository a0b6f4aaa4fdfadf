/**
 * The few onnxruntime-node calls the worker makes, behind one small module: loading the addon on first
 * use, converting plain tensors to and from ort.Tensor, and creating sessions with GreenLens's options.
 */
import type * as Ort from 'onnxruntime-node';
import type { HostTensor, TensorData } from '../npy';
import type { OptLevel } from '../types';
import { disableOrtTelemetry } from '../ortPrivacy';

let ortModule: typeof Ort | undefined;

/** Loads onnxruntime-node once; the native addon costs tens of milliseconds. */
export function ort(): typeof Ort {
  // Before the addon loads: its telemetry reads the environment when it starts (see ortPrivacy.ts).
  if (!ortModule) disableOrtTelemetry();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ortModule ??= require('onnxruntime-node') as typeof Ort;
  return ortModule;
}

/** Session settings a variant can change. */
export interface SessionSettings {
  threads?: number;
  level?: OptLevel;
  optimizedModelFilePath?: string;
}

/** Creates a CPU session from a file or from bytes in memory. */
export function createSession(model: string | Uint8Array, s: SessionSettings = {}): Promise<Ort.InferenceSession> {
  const opts: Ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: s.level ?? 'all',
  };
  if (s.threads !== undefined) opts.intraOpNumThreads = s.threads;
  if (s.optimizedModelFilePath) opts.optimizedModelFilePath = s.optimizedModelFilePath;
  return typeof model === 'string'
    ? ort().InferenceSession.create(model, opts)
    : ort().InferenceSession.create(model, opts);
}

/** Plain tensors to onnxruntime feeds. */
export function toFeeds(feeds: Record<string, HostTensor>): Record<string, Ort.Tensor> {
  const T = ort().Tensor;
  const out: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    out[name] = new T(t.dtype, t.data as Exclude<TensorData, Float64Array> & Float32Array, t.dims);
  }
  return out;
}

/** An output's values as float32 (integer and boolean outputs converted), or undefined for non-tensors. */
export function floatData(t: Ort.Tensor): Float32Array | undefined {
  const d = t.data as unknown;
  if (d instanceof Float32Array) return d;
  if (d instanceof BigInt64Array) return Float32Array.from(d, (x) => Number(x));
  if (ArrayBuffer.isView(d) && !(d instanceof DataView)) return Float32Array.from(d as unknown as ArrayLike<number>);
  return undefined;
}
