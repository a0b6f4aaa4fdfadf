/**
 * The inputs every variant is measured on: random tensors shaped from the model's metadata, or samples
 * from a dataset folder (docs/datasets.md). Samples lie along the first axis of "batched" inputs; inputs
 * without a free first axis (a sample rate, a fixed-size state) are the same for every sample.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { NpyError, parseNpy, type HostTensor, type TensorData, type TensorDtype } from './npy';
import type { InputOptions } from './types';
import { seededRandom } from '../random';

/** A graph input as the profiler sees it. */
export interface InputMeta {
  name: string;
  dtype: string;
  /** Declared dims: numbers, symbolic names or null. */
  shape: (number | string | null)[];
  /** Dims with symbolic ones resolved from the options (null where nothing says). */
  resolved: (number | null)[];
}

/** Samples for every input, plus labels when the dataset has them. */
export interface SampleSet {
  count: number;
  batched: Record<string, HostTensor>;
  fixed: Record<string, HostTensor>;
  labels?: number[];
  source: 'random' | 'dataset';
  description: string;
}

/** Thrown when a dataset does not fit the model; the message is meant for the user. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const CTORS: Record<TensorDtype, (n: number) => TensorData> = {
  float32: (n) => new Float32Array(n),
  float64: (n) => new Float64Array(n),
  float16: (n) => new Uint16Array(n),
  int64: (n) => new BigInt64Array(n),
  int32: (n) => new Int32Array(n),
  int16: (n) => new Int16Array(n),
  int8: (n) => new Int8Array(n),
  uint8: (n) => new Uint8Array(n),
  uint16: (n) => new Uint16Array(n),
  bool: (n) => new Uint8Array(n),
};

function asDtype(d: string): TensorDtype {
  if (d in CTORS) return d as TensorDtype;
  throw new InputError(`inputs of type ${d} are not supported by the profiler`);
}

/** Fills a tensor with values in a range that suits its type: [0,1) floats, small non-negative integers. */
function randomTensor(dtype: TensorDtype, dims: number[], rnd: () => number): HostTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = CTORS[dtype](n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    if (data instanceof BigInt64Array) data[i] = BigInt(Math.floor(u * 100));
    else if (dtype === 'bool') data[i] = u < 0.5 ? 0 : 1;
    else if (dtype === 'uint8') data[i] = Math.floor(u * 256);
    else if (dtype === 'int8' || dtype === 'int16' || dtype === 'int32' || dtype === 'uint16')
      data[i] = Math.floor(u * 100);
    else data[i] = u;
  }
  return { dtype, dims, data };
}

function valueTensor(meta: InputMeta, values: number[]): HostTensor {
  const dtype = asDtype(meta.dtype);
  const dims = meta.shape.length === 0 ? [] : [values.length];
  const data = CTORS[dtype](values.length);
  values.forEach((v, i) => {
    if (data instanceof BigInt64Array) data[i] = BigInt(Math.round(v));
    else data[i] = v;
  });
  return { dtype, dims, data };
}

/** True when the input's first axis is free (symbolic or unknown), i.e. it carries the samples. */
export function isBatched(meta: InputMeta): boolean {
  const d0 = meta.shape[0];
  return meta.shape.length > 0 && (d0 === null || typeof d0 === 'string');
}

function concreteDims(meta: InputMeta, from: number): number[] {
  return meta.resolved.slice(from).map((d, i) => {
    if (d === null)
      throw new InputError(
        `input "${meta.name}" has an unknown size at axis ${i + from}; give it with --dim ${meta.name}:${i + from}=N`,
      );
    return d;
  });
}

/** Random samples for every input, `count` of them along the batch axis. */
export function randomSamples(inputs: InputMeta[], opts: InputOptions, count: number): SampleSet {
  const rnd = seededRandom(opts.seed ?? 1234);
  const batched: Record<string, HostTensor> = {};
  const fixed: Record<string, HostTensor> = {};
  for (const meta of inputs) {
    const known = opts.values?.[meta.name];
    if (known) fixed[meta.name] = valueTensor(meta, known);
    else if (isBatched(meta))
      batched[meta.name] = randomTensor(asDtype(meta.dtype), [count, ...concreteDims(meta, 1)], rnd);
    else fixed[meta.name] = randomTensor(asDtype(meta.dtype), concreteDims(meta, 0), rnd);
  }
  const shapes = inputs
    .map((m) => `${m.name} [${(batched[m.name] ?? fixed[m.name])?.dims.join('×') ?? '?'}]`)
    .join(', ');
  return { count, batched, fixed, source: 'random', description: `${count} random samples: ${shapes}` };
}

function readJsonValue(file: string, meta: InputMeta): HostTensor {
  const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? v.flat(8) : undefined;
  if (!list || list.some((x) => typeof x !== 'number'))
    throw new InputError(`${path.basename(file)} must hold a number or an array of numbers`);
  return valueTensor(meta, list as number[]);
}

function checkShape(meta: InputMeta, t: HostTensor, file: string): void {
  const want = meta.resolved.slice(1);
  const got = t.dims.slice(1);
  const bad =
    got.length !== want.length ||
    want.some((d, i) => d !== null && typeof meta.shape[i + 1] === 'number' && d !== got[i]);
  if (bad) {
    const declared = meta.shape.map((d) => d ?? '?').join(', ');
    throw new InputError(
      `${file} has shape [${t.dims.join(', ')}] but input "${meta.name}" expects [N, ${declared.split(', ').slice(1).join(', ')}] (declared [${declared}])`,
    );
  }
  if (t.dtype !== meta.dtype && !(t.dtype === 'float64' && meta.dtype === 'float32')) {
    throw new InputError(`${file} holds ${t.dtype} but input "${meta.name}" expects ${meta.dtype}`);
  }
}

function loadNpy(file: string): HostTensor {
  try {
    const t = parseNpy(readFileSync(file));
    // float64 is the numpy default; onnxruntime wants the model's type, so convert rather than refuse.
    return t.dtype === 'float64'
      ? { dtype: 'float32', dims: t.dims, data: Float32Array.from(t.data as Float64Array) }
      : t;
  } catch (e) {
    if (e instanceof NpyError) throw new InputError(`${path.basename(file)}: ${e.message}`);
    throw e;
  }
}

function readLabels(dir: string): number[] | undefined {
  const file = path.join(dir, 'labels.json');
  if (!existsSync(file)) return undefined;
  const v = JSON.parse(readFileSync(file, 'utf8')) as { labels?: unknown };
  if (!Array.isArray(v.labels) || v.labels.some((x) => !Number.isInteger(x)))
    throw new InputError('labels.json must be {"labels": [integer class indices]}');
  return v.labels as number[];
}

/** Reads a dataset folder and checks it against the model's inputs. */
export function datasetSamples(inputs: InputMeta[], opts: InputOptions & { datasetDir: string }): SampleSet {
  const dir = opts.datasetDir;
  if (!existsSync(dir)) throw new InputError(`dataset folder ${dir} does not exist`);
  const files = new Set(readdirSync(dir));
  const batched: Record<string, HostTensor> = {};
  const fixed: Record<string, HostTensor> = {};
  const first = inputs.find(isBatched) ?? inputs[0];
  for (const meta of inputs) {
    const npy = files.has(`${meta.name}.npy`)
      ? `${meta.name}.npy`
      : meta === first && files.has('inputs.npy')
        ? 'inputs.npy'
        : undefined;
    const known = opts.values?.[meta.name];
    if (npy) {
      const t = loadNpy(path.join(dir, npy));
      checkShape(meta, t, npy);
      batched[meta.name] = t;
    } else if (files.has(`${meta.name}.json`))
      fixed[meta.name] = readJsonValue(path.join(dir, `${meta.name}.json`), meta);
    else if (known) fixed[meta.name] = valueTensor(meta, known);
    else
      throw new InputError(
        `the dataset has no data for input "${meta.name}": add ${meta === first ? 'inputs.npy or ' : ''}${meta.name}.npy (or ${meta.name}.json for a constant)`,
      );
  }
  const counts = [...new Set(Object.values(batched).map((t) => t.dims[0] ?? 0))];
  if (counts.length > 1)
    throw new InputError(`the dataset's .npy files hold different sample counts: ${counts.join(', ')}`);
  let count = counts[0] ?? 1;
  if (count === 0) throw new InputError('the dataset holds no samples (its .npy files have 0 rows)');
  let labels = readLabels(dir);
  if (labels && labels.length !== count)
    throw new InputError(`labels.json has ${labels.length} labels but inputs hold ${count} samples`);
  if (opts.maxSamples !== undefined && opts.maxSamples < count) {
    count = opts.maxSamples;
    for (const k of Object.keys(batched)) batched[k] = sliceTensor(batched[k] as HostTensor, 0, count);
    labels = labels?.slice(0, count);
  }
  return {
    count,
    batched,
    fixed,
    labels,
    source: 'dataset',
    description: `${count} samples from ${path.basename(dir)}${labels ? ' with labels' : ''}`,
  };
}

/** Rows [start, start + count) of a tensor's first axis; rows wrap around when the tensor is shorter. */
export function sliceTensor(t: HostTensor, start: number, count: number): HostTensor {
  const rows = t.dims[0] ?? 1;
  const row = rows > 0 ? t.data.length / rows : 0;
  const dims = [count, ...t.dims.slice(1)];
  if (start + count <= rows) return { dtype: t.dtype, dims, data: t.data.slice(start * row, (start + count) * row) };
  const out = CTORS[t.dtype](count * row);
  for (let i = 0; i < count; i++) {
    const r = (start + i) % Math.max(rows, 1);
    (out as Float32Array).set(t.data.subarray(r * row, (r + 1) * row) as Float32Array, i * row);
  }
  return { dtype: t.dtype, dims, data: out };
}

/** The feeds of one batch: `count` samples from `start`, plus the fixed inputs. */
export function batchFeeds(set: SampleSet, start: number, count: number): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = { ...set.fixed };
  for (const [name, t] of Object.entries(set.batched)) feeds[name] = sliceTensor(t, start, count);
  return feeds;
}
