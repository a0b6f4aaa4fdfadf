/** Accuracy impact of a variant: its outputs against the fp32 baseline's on the same inputs. Pure. */
import type { AccuracyImpact } from './types';

/** The first output over the accuracy samples, as the worker sends it back. */
export interface OutputSample {
  name: string;
  sampleDims: number[];
  samples: number;
  data: Float32Array;
}

function argmaxRows(data: Float32Array, width: number): Int32Array {
  const rows = Math.floor(data.length / width);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bv = -Infinity;
    for (let c = 0; c < width; c++) {
      const v = data[r * width + c] ?? -Infinity;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Top-1 accuracy of outputs against labels (one class vector per sample), or undefined when they do not fit. */
export function labelAccuracy(out: OutputSample, labels: number[] | undefined): number | undefined {
  const width = out.sampleDims.reduce((a, b) => a * b, 1);
  if (!labels || labels.length !== out.samples || out.sampleDims.length !== 1 || width < 2) return undefined;
  const pred = argmaxRows(out.data, width);
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / labels.length;
}

/**
 * Compares a variant's outputs with the baseline's: arg-max agreement over the last axis (for
 * score-like outputs), max and mean absolute error, cosine similarity; and accuracy against labels.
 */
export function compareOutputs(base: OutputSample, variant: OutputSample, labels?: number[]): AccuracyImpact {
  if (base.data.length !== variant.data.length) {
    throw new Error(
      `the variant's output "${variant.name}" has ${variant.data.length} values, the baseline's ${base.data.length}`,
    );
  }
  let maxAbs = 0;
  let sumAbs = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < base.data.length; i++) {
    const a = base.data[i] ?? 0;
    const b = variant.data[i] ?? 0;
    const d = Math.abs(a - b);
    if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
    sumAbs += d;
    dot += a * b;
    na += a * a;
    nb += b * b;
  }
  const impact: AccuracyImpact = {
    samples: base.samples,
    output: base.name,
    maxAbsError: maxAbs,
    meanAbsError: base.data.length ? sumAbs / base.data.length : 0,
    cosineSimilarity: na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : na === nb ? 1 : 0,
  };
  const width = base.sampleDims[base.sampleDims.length - 1] ?? 1;
  if (width > 1) {
    const pa = argmaxRows(base.data, width);
    const pb = argmaxRows(variant.data, width);
    let same = 0;
    for (let i = 0; i < pa.length; i++) if (pa[i] === pb[i]) same++;
    impact.top1Agreement = pa.length ? same / pa.length : 1;
  }
  const acc = labelAccuracy(variant, labels);
  if (acc !== undefined) {
    impact.accuracy = acc;
    impact.baselineAccuracy = labelAccuracy(base, labels);
  }
  return impact;
}
