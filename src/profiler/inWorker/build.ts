/**
 * Builds a variant's model file in the storage dir (never next to the user's model): decodes the model,
 * applies the rewrite, encodes it, and for static int8 calibrates activation ranges with onnxruntime.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { commitTemp, tempPathFor, writeFileAtomicSync } from '../../atomicWrite';
import * as path from 'node:path';
import { batchFeeds, type SampleSet } from '../inputs';
import { decodeModel, encodeModel, NotApplicableError } from '../variants/graph';
import { externalBytes, inlineExternalData } from '../variants/external';
import { quantizeDynamic } from '../variants/quantDynamic';
import { calibrationModel, calibrationNames, quantizeStatic, type Range } from '../variants/quantStatic';
import { convertFp16 } from '../variants/fp16';
import { pruneMagnitude } from '../variants/prune';
import type { VariantSpec } from '../types';
import { createSession, floatData, toFeeds } from './ort';
import { quantileSorted } from '../stats';

/** The file to measure and what was done to produce it. */
export interface BuiltVariant {
  path: string;
  notes: string[];
  buildMs: number;
  gpuOriented?: boolean;
}

/**
 * Largest model GreenLens rewrites. A rewrite decodes the whole protobuf in memory (several times the
 * file size at peak), and protobuf itself stops at 2 GB; beyond this the variant fails with a clear message.
 */
export const MAX_REWRITE_BYTES = 768 * 1024 * 1024;

/** File name of a variant in the storage dir: content-addressed by model and spec. */
export function variantFileName(modelPath: string, spec: VariantSpec): string {
  const h = createHash('sha256')
    .update(path.resolve(modelPath))
    .update('\0')
    .update(JSON.stringify(spec))
    .digest('hex')
    .slice(0, 16);
  const stem = path.basename(modelPath, '.onnx').replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${stem}.${spec.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.${h}.onnx`;
}

/** Keeps at most ~1M values per tensor for percentile calibration (a strided sample). */
class RangeCollector {
  private readonly minmax = new Map<string, Range>();
  private readonly samples = new Map<string, number[]>();

  constructor(private readonly percentile?: number) {}

  add(name: string, v: Float32Array): void {
    const r = this.minmax.get(name) ?? { min: Infinity, max: -Infinity };
    for (let i = 0; i < v.length; i++) {
      const x = v[i] ?? 0;
      if (x < r.min) r.min = x;
      if (x > r.max) r.max = x;
    }
    this.minmax.set(name, r);
    if (this.percentile === undefined) return;
    const list = this.samples.get(name) ?? [];
    const stride = Math.max(1, Math.ceil(v.length / 65536));
    for (let i = 0; i < v.length && list.length < 1 << 20; i += stride) list.push(v[i] ?? 0);
    this.samples.set(name, list);
  }

  ranges(): Map<string, Range> {
    if (this.percentile === undefined) return this.minmax;
    const p = this.percentile / 100;
    const out = new Map<string, Range>();
    for (const [name, list] of this.samples) {
      const s = Float64Array.from(list).sort();
      out.set(name, { min: quantileSorted(s, 1 - p), max: quantileSorted(s, p) });
    }
    return out;
  }
}

/** Runs the model with the activations as extra outputs over up to 64 samples and collects their ranges. */
async function calibrate(
  model: ReturnType<typeof decodeModel>,
  spec: VariantSpec,
  samples: SampleSet,
  chunk: number,
): Promise<{ ranges: Map<string, Range>; used: number }> {
  const names = calibrationNames(model);
  if (names.length === 0)
    throw new NotApplicableError('no MatMul, Gemm or Conv node with constant float weights in the main graph');
  const session = await createSession(calibrationModel(model, names));
  const collector = new RangeCollector(spec.calibration === 'percentile' ? (spec.percentile ?? 99.99) : undefined);
  const used = Math.min(samples.count, 64);
  try {
    for (let start = 0; start < used; start += chunk) {
      const out = await session.run(toFeeds(batchFeeds(samples, start, Math.min(chunk, used - start))), names);
      for (const name of names) {
        const t = out[name];
        const v = t ? floatData(t) : undefined;
        if (v) collector.add(name, v);
      }
    }
  } finally {
    await session.release();
  }
  return { ranges: collector.ranges(), used };
}

async function rewrite(
  spec: VariantSpec,
  model: ReturnType<typeof decodeModel>,
  samples: SampleSet,
  chunk: number,
): Promise<{ bytes: Uint8Array; notes: string[] }> {
  let notes: string[];
  switch (spec.kind) {
    case 'int8-dynamic':
      notes = quantizeDynamic(model, { ops: spec.ops, perChannel: spec.perChannel });
      break;
    case 'int8-static': {
      const { ranges, used } = await calibrate(model, spec, samples, chunk);
      notes = [
        ...quantizeStatic(model, ranges, { perChannel: spec.perChannel }),
        `calibrated on ${used} ${samples.source} samples`,
      ];
      break;
    }
    case 'fp16':
      notes = convertFp16(model);
      break;
    case 'prune-local':
    case 'prune-global':
      notes = pruneMagnitude(model, spec.sparsity ?? 0.5, spec.kind === 'prune-local' ? 'local' : 'global');
      break;
    default:
      throw new Error(`variant kind ${spec.kind} has no rewrite`);
  }
  return { bytes: encodeModel(model), notes };
}

/**
 * Produces the model file a variant is measured on. Session-only variants (baseline, threads, batch)
 * use the original file; `opt` saves onnxruntime's optimized graph.
 */
export async function buildVariant(
  modelPath: string,
  spec: VariantSpec,
  storageDir: string,
  samples: SampleSet,
  chunk: number,
): Promise<BuiltVariant> {
  const t0 = performance.now();
  if (spec.kind === 'baseline' || spec.kind === 'threads' || spec.kind === 'batch')
    return { path: modelPath, notes: [], buildMs: 0 };
  mkdirSync(storageDir, { recursive: true });
  const out = path.join(storageDir, variantFileName(modelPath, spec));
  if (spec.kind === 'opt') {
    // onnxruntime writes the optimized model itself: aside, then renamed, as for the rewrites below.
    const tmp = tempPathFor(out);
    try {
      const s = await createSession(modelPath, { level: spec.level, optimizedModelFilePath: tmp });
      await s.release();
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    commitTemp(tmp, out);
    const notes = [`optimized at level "${spec.level}" and saved; reloading it skips the optimization at start-up`];
    if (spec.level === 'all')
      notes.push('level "all" may use CPU-specific layouts: the saved file suits this machine\'s CPU');
    return { path: out, notes, buildMs: performance.now() - t0 };
  }
  const tooBig = (what: string, bytes: number) =>
    new Error(
      `${what} ${(bytes / 2 ** 30).toFixed(2)} GiB; graph rewrites are limited to ${MAX_REWRITE_BYTES / 2 ** 20} MiB because they decode the whole model in memory`,
    );
  const size = statSync(modelPath).size;
  if (size > MAX_REWRITE_BYTES) throw tooBig('the model is', size);
  const model = decodeModel(readFileSync(modelPath));
  const external = externalBytes(model, path.dirname(modelPath));
  if (size + external > MAX_REWRITE_BYTES) throw tooBig('the model and its external data are', size + external);
  // The variant lives in the storage dir, away from the model's external files: it gets its weights inline.
  const inlined = inlineExternalData(model, path.dirname(modelPath));
  const built = await rewrite(spec, model, samples, chunk);
  // Parallel runs share the storage folder: a reader must never load a half-written variant.
  writeFileAtomicSync(out, built.bytes);
  const notes = inlined
    ? [...built.notes, `${inlined} tensors read from external data into the variant file`]
    : built.notes;
  return { path: out, notes, buildMs: performance.now() - t0, ...(spec.kind === 'fp16' ? { gpuOriented: true } : {}) };
}
