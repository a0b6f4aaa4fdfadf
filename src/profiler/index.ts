/**
 * The on-device profiler's public API (pure Node, no vscode): profile an ONNX model and its optimized
 * variants with progress events and an AbortSignal; the result types a report panel consumes.
 */
export { profileModel, type ProfileOptions } from './profile';
export type { ThreadSetting } from './threads';
export type {
  AccuracyImpact,
  EnergyReading,
  InputOptions,
  MachineFingerprint,
  OptLevel,
  ProfileProgress,
  ProfileResult,
  VariantKind,
  VariantMetrics,
  VariantResult,
  VariantSpec,
  VariantStatus,
} from './types';
export {
  DEFAULT_VARIANTS,
  VARIANT_FORMS,
  VariantSpecError,
  parseVariant,
  parseVariantList,
  variantLabel,
} from './variants/spec';
export { ProfilerJobError, ProfilerRunner, defaultWorker, type JobFailure, type WorkerSpec } from './runner';
export { compareOutputs, labelAccuracy, type OutputSample } from './accuracy';
export { machineFingerprint, hashFile, ResultCache } from './cache';
export {
  chooseMeter,
  discoverRapl,
  counterDeltaUj,
  RaplMeter,
  NvidiaSmiMeter,
  NvmlEnergyMeter,
  integratePower,
  parsePowerLines,
  parseEnergyCounters,
} from './meters/index';
export { medianCi, summarizeLatencies, quantileSorted } from './stats';
