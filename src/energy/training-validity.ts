/**
 * Validity ranges of the fitted training-energy models. A regression is evidence only inside the range
 * of the runs it was fitted on; outside it the figure still comes out, but it says which inputs lie
 * outside and its band widens: in log space, by a share of the log-distance past the edge for a
 * continuous input, and by a fixed step for a categorical one (batch, image size, GPU, GPU count,
 * precision). The steps were set so that the measured coverage of the bands holds on runs outside the
 * fitting range (bench/training-energy.ts reports it).
 */
import type { TrainingPrecision } from './gpu-specs';

/** The range a model was fitted on. */
export interface ValidityRange {
  /** Forward GFLOPs per image, min and max. */
  gflops: [number, number];
  /** Peak FP32 TFLOPS of the GPUs, min and max. */
  tflops32: [number, number];
  /** Batch sizes of the fitting runs; empty when the model does not depend on the batch. */
  batch: number[];
  /** Image sides, px; empty when the model does not depend on them beyond GFLOPs. */
  imageSize: number[];
  /** GPU names of the fitting runs. */
  gpus: string[];
  gpuCount: number[];
  precision: string[];
}

/** What a prediction is made for. */
export interface ValidityQuery {
  gflops: number;
  tflops32: number;
  /** Undefined when the user did not say. */
  batch?: number;
  imageSize: number;
  gpu: string;
  gpuCount: number;
  precision: TrainingPrecision;
}

/** The extra log-width per unit of log-distance past a continuous edge. */
export const WIDEN_PER_LOG_DISTANCE = 0.5;

/** The extra log-width per categorical input outside the range. */
export const WIDEN_STEP: Readonly<Record<'batch' | 'imageSize' | 'gpu' | 'gpuCount' | 'precision', number>> = {
  batch: 0.25,
  imageSize: 0.15,
  gpu: 0.15,
  gpuCount: 0.3,
  precision: 0.4,
};

/** Which inputs lie outside the range, and the extra log-width of the band (0 inside). */
export interface ValidityCheck {
  outside: string[];
  widenLog: number;
}

function continuous(what: string, x: number, [lo, hi]: [number, number], out: string[]): number {
  if (x >= lo && x <= hi) return 0;
  const edge = x < lo ? lo : hi;
  out.push(`${what} ${fmt(x)} is outside the fitted ${fmt(lo)}–${fmt(hi)}`);
  return WIDEN_PER_LOG_DISTANCE * Math.abs(Math.log(x / edge));
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** Checks a query against a range. */
export function checkValidity(range: ValidityRange, q: ValidityQuery): ValidityCheck {
  const outside: string[] = [];
  let w = continuous('GFLOPs per image', q.gflops, range.gflops, outside);
  w += continuous('GPU FP32 TFLOPS', q.tflops32, range.tflops32, outside);
  const step = (key: keyof typeof WIDEN_STEP, ok: boolean, text: string): void => {
    if (ok) return;
    outside.push(text);
    w += WIDEN_STEP[key];
  };
  step(
    'batch',
    q.batch === undefined || range.batch.length === 0 || range.batch.includes(q.batch),
    `batch ${q.batch} (fitted on ${range.batch.join(', ')})`,
  );
  step(
    'imageSize',
    range.imageSize.length === 0 || range.imageSize.includes(q.imageSize),
    `image size ${q.imageSize} px (fitted on ${range.imageSize.join(', ')} px)`,
  );
  step('gpu', range.gpus.includes(q.gpu), `GPU ${q.gpu} (fitted on ${range.gpus.join(', ')})`);
  step('gpuCount', range.gpuCount.includes(q.gpuCount), `${q.gpuCount} GPUs (fitted on ${range.gpuCount.join(', ')})`);
  step(
    'precision',
    range.precision.includes(q.precision),
    `precision ${q.precision} (fitted on ${range.precision.join(', ')})`,
  );
  return { outside, widenLog: w };
}

/** The note a figure carries when some input lies outside the range. */
export function validityNote(c: ValidityCheck): string | undefined {
  if (c.outside.length === 0) return undefined;
  return `Outside the fitting range: ${c.outside.join('; ')}. The band is widened ×${Math.exp(c.widenLog).toFixed(2)} each way.`;
}
