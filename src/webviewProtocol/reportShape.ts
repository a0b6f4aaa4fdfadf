/**
 * The deep check of a report before a page renders it, so that rendering cannot throw on a missing field.
 * The report panel and the Overview both receive whole reports; the exported file reads one from its data
 * island.
 */
import type { Report } from '../report/types';
import { isFiniteNumber, isObject, isStringList } from './guards';

/** An Estimate as the renderer reads it: finite numbers, a unit, a provenance and a method. */
export function isEstimateShape(v: unknown): boolean {
  return (
    isObject(v) &&
    isFiniteNumber(v.value) &&
    isFiniteNumber(v.low) &&
    isFiniteNumber(v.high) &&
    typeof v.unit === 'string' &&
    (v.provenance === 'measured' || v.provenance === 'estimated') &&
    typeof v.method === 'string' &&
    Array.isArray(v.sources) &&
    (v.notes === undefined || Array.isArray(v.notes))
  );
}

function isYearlyShape(v: unknown): boolean {
  return isObject(v) && isEstimateShape(v.energy) && isEstimateShape(v.co2) && isEstimateShape(v.cost);
}

function isModelShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.file === 'string' &&
    (v.kind === 'onnx' || v.kind === 'python-site') &&
    Array.isArray(v.findings) &&
    Array.isArray(v.notes) &&
    (v.yearly === undefined || isYearlyShape(v.yearly))
  );
}

const SERIES = ['model', 'variant', 'alternative'];
function isPointShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.modelId === 'string' &&
    typeof v.label === 'string' &&
    SERIES.includes(v.series as string) &&
    isEstimateShape(v.energyPerInference) &&
    typeof v.onFrontier === 'boolean' &&
    (v.quality === undefined ||
      (isObject(v.quality) && isFiniteNumber(v.quality.value) && typeof v.quality.metric === 'string')) &&
    (v.latencyMs === undefined ||
      (isObject(v.latencyMs) &&
        isFiniteNumber(v.latencyMs.value) &&
        isFiniteNumber(v.latencyMs.low) &&
        isFiniteNumber(v.latencyMs.high))) &&
    (v.yearly === undefined || isYearlyShape(v.yearly))
  );
}

const VERDICTS = ['worth-it', 'marginal', 'not-worth-it'];
function isRecommendationShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.modelId === 'string' &&
    typeof v.title === 'string' &&
    VERDICTS.includes(v.verdict as string) &&
    isYearlyShape(v.savings) &&
    isObject(v.breakEven) &&
    typeof v.breakEven.worthIt === 'boolean' &&
    typeof v.breakEven.message === 'string' &&
    isStringList(v.evidence, 100)
  );
}

/**
 * Validates a report before the page renders it (from the host, or from the data island of an exported
 * file). Deep enough that rendering cannot throw on a missing field; every string is later set as text.
 */
export function isReportShape(v: unknown): v is Report {
  if (!isObject(v) || v.schemaVersion !== 1 || typeof v.workspace !== 'string' || typeof v.generatedAt !== 'string')
    return false;
  const a = v.assumptions;
  if (
    !isObject(a) ||
    !isFiniteNumber(a.inferencesPerDay) ||
    !isObject(a.electricity) ||
    !isFiniteNumber(a.electricity.perKWh) ||
    typeof a.electricity.currency !== 'string' ||
    !isEstimateShape(a.carbonIntensity) ||
    !isObject(a.hardware) ||
    typeof a.hardware.name !== 'string'
  )
    return false;
  if (!isObject(v.summary) || typeof v.summary.text !== 'string') return false;
  return (
    Array.isArray(v.models) &&
    v.models.every(isModelShape) &&
    Array.isArray(v.points) &&
    v.points.every(isPointShape) &&
    Array.isArray(v.recommendations) &&
    v.recommendations.every(isRecommendationShape)
  );
}
