/**
 * The energy baseline `greenlens check` compares against: per model (ONNX file or Python site), training
 * run and finding, an identity that survives moving code (file plus the variable a model is bound to, or
 * the model id; never the line alone) with its figures and bands. Serialized sorted and rounded so that a
 * committed baseline changes only where a figure does. The JSON schema is docs/baseline.schema.json.
 */
import type { FileAnalysis } from '../../analyzers/python/pool';
import type { ModelSite, PythonAnalysis, TrainingLoop } from '../../analyzers/python/types';
import { lookupSite } from '../../catalog/siteEdits';
import { convertEnergy, type Estimate } from '../../energy/quantity';
import { estimateLoop, IMAGES_PER_EPOCH, REFERENCE_GPU } from '../../catalog/training-loop';
import type { Report } from '../../report/types';
import type { Settings } from '../../settings';

/**
 * Bumped on any change an older reader would misread; a baseline of a newer version is refused, not
 * guessed at. Version 2 added measured profiles (`models[].measured`); a version 1 baseline reads as one
 * without them.
 */
export const BASELINE_SCHEMA_VERSION = 2;

/** A figure with its uncertainty band. */
export interface Band {
  value: number;
  low: number;
  high: number;
  unit: string;
  provenance: 'measured' | 'estimated';
}

/** The newest profile of an ONNX file on the machine that wrote the baseline, from the profiler's cache. */
export interface BaselineMeasured {
  /** Joules per inference of the fp32 model as it is, with the meter's band. */
  energyPerInference: Band;
  /** Median time per inference, ms, with its 95 % confidence interval. */
  latencyMs: Band;
  /** `rapl:…`, `nvml:…`, or `estimate:cpu-time` when no meter was readable. */
  meter: string;
  /** The machine in words. */
  machine: string;
  /** Measurements compare only between baselines whose machine ids match. */
  machineId: string;
  /** When the measurement was cached, ISO 8601. */
  measuredAt: string;
  /** The profile run's time budget, ms. */
  budgetMs?: number;
  /** SHA-256 of the model file that was measured. */
  modelSha256: string;
}

export interface BaselineModel {
  id: string;
  kind: 'onnx' | 'python-site';
  file: string;
  /** 1-based line when it was recorded; informative only, never part of the identity. */
  line?: number;
  name: string;
  gmacs?: number;
  /** Joules per inference. */
  energyPerInference?: Band;
  /** kWh per year at the recorded workload. */
  yearlyEnergy?: Band;
  /** A measured profile, where this machine has one cached (never measured by `check` itself). */
  measured?: BaselineMeasured;
}

export interface BaselineTraining {
  id: string;
  file: string;
  line: number;
  model?: string;
  epochs?: number;
  batch?: number;
  /** kWh of the whole run (per epoch when the code does not say how many). */
  energy?: Band;
}

export interface BaselineFinding {
  id: string;
  ruleId: string;
  severity: 'hint' | 'information' | 'warning' | 'error';
  file: string;
  line: number;
  message: string;
}

export interface BaselineAssumptions {
  hardware: string;
  inferencesPerDay: number;
  carbonRegion: string;
  deploymentTarget: string;
  deploymentBatch: number;
  trainingGpu: string;
  imagesPerEpoch: number;
}

export interface Baseline {
  $schema?: string;
  /** The version it was written with: 1 (no measured profiles) or 2. */
  schemaVersion: number;
  assumptions: BaselineAssumptions;
  models: BaselineModel[];
  training: BaselineTraining[];
  findings: BaselineFinding[];
}

/** The GPU training is estimated on when the hardware in use is not a GPU: the editor's reference GPU. */
export const REFERENCE_TRAINING_GPU = REFERENCE_GPU;

/** Four significant digits: enough for a 10 % threshold, few enough that noise never shows in a diff. */
const round = (x: number): number => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(4)));

export function bandOf(e: Pick<Estimate, 'value' | 'low' | 'high' | 'unit' | 'provenance'>): Band {
  return {
    value: round(e.value),
    low: round(e.low),
    high: round(e.high),
    unit: String(e.unit),
    provenance: e.provenance,
  };
}

/** What a site is called in its file: the variable it is bound to, else its model id, else its callee. */
export function siteSymbol(site: ModelSite): string {
  return site.boundTo[0] ?? site.modelId ?? site.callee;
}

/** Makes ids unique in order of appearance: the second `py:a.py:model` becomes `py:a.py:model#2`. */
function uniquer(): (id: string) => string {
  const seen = new Map<string, number>();
  return (id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  };
}

/**
 * The identities of a file's findings, in order: rule, file and the model's variable (or the message with
 * its numbers blanked, for findings about no model), so that moving code keeps them. SARIF's
 * partialFingerprints use the same identities.
 */
export function findingIds(file: string, analysis: PythonAnalysis): string[] {
  const unique = uniquer();
  return analysis.findings.map((f) => {
    const site = f.site !== undefined ? analysis.sites[f.site] : undefined;
    const subject = site ? siteSymbol(site) : f.message.replace(/\d+/g, '#');
    return unique(`${f.ruleId}:${file}:${subject}`);
  });
}

export interface BaselineInputs {
  report: Report;
  /** The analyses with workspace-relative forward-slash file names. */
  python: Array<{ file: string; analysis?: FileAnalysis['analysis'] }>;
  settings: Settings;
  hardware: { name: string; isGpu: boolean };
  /** Cached measured profiles by workspace-relative ONNX file name (see measured.ts). */
  measured?: Record<string, BaselineMeasured>;
}

function modelsOf(input: BaselineInputs): BaselineModel[] {
  const unique = uniquer();
  const out: BaselineModel[] = [];
  for (const m of input.report.models) {
    const site =
      m.kind === 'python-site'
        ? input.python.find((p) => p.file === m.file)?.analysis?.sites.find((s) => s.range.start.line + 1 === m.line)
        : undefined;
    const id = m.kind === 'onnx' ? m.id : unique(`py:${m.file}:${site ? siteSymbol(site) : m.name}`);
    const energy = m.catalog?.energyPerInference ?? m.static?.energyPerInference;
    const gmacs = m.catalog?.gmacs ?? m.static?.gmacs;
    out.push({
      id,
      kind: m.kind,
      file: m.file,
      ...(m.line !== undefined ? { line: m.line } : {}),
      name: m.name,
      ...(gmacs !== undefined ? { gmacs: round(gmacs) } : {}),
      ...(energy ? { energyPerInference: bandOf(convertEnergy(energy, 'J')) } : {}),
      ...(m.yearly ? { yearlyEnergy: bandOf(convertEnergy(m.yearly.energy, 'kWh')) } : {}),
      ...(m.kind === 'onnx' && input.measured?.[m.file] ? { measured: input.measured[m.file] } : {}),
    });
  }
  return out;
}

function trainingOf(
  file: string,
  loop: TrainingLoop,
  sites: ModelSite[],
  gpu: string,
  unique: (id: string) => string,
): BaselineTraining {
  const site = loop.site !== undefined ? sites[loop.site] : undefined;
  const entry = site ? lookupSite(site)?.entry : undefined;
  const out: BaselineTraining = {
    id: unique(`train:${file}:${site ? siteSymbol(site) : loop.kind}`),
    file,
    line: loop.range.start.line + 1,
    ...(entry ? { model: entry.name } : {}),
    ...(loop.epochs !== undefined ? { epochs: loop.epochs } : {}),
    ...(loop.batchSize !== undefined ? { batch: loop.batchSize } : {}),
  };
  if (!entry) return out;
  try {
    const est = estimateLoop(loop, entry.name, gpu, {});
    out.energy = bandOf(convertEnergy(est.energy, 'kWh'));
  } catch {
    // An input outside the estimator's range (a batch of 0 written in code) leaves the run without a figure.
  }
  return out;
}

/** The baseline of a workspace as it is now. */
export function buildBaseline(input: BaselineInputs): Baseline {
  const s = input.settings;
  const gpu = input.hardware.isGpu ? input.hardware.name : REFERENCE_TRAINING_GPU;
  const training: BaselineTraining[] = [];
  const findings: BaselineFinding[] = [];
  const uniqueRun = uniquer();
  for (const { file, analysis } of input.python) {
    if (!analysis) continue;
    for (const loop of analysis.trainingLoops) training.push(trainingOf(file, loop, analysis.sites, gpu, uniqueRun));
    const ids = findingIds(file, analysis);
    analysis.findings.forEach((f, i) => {
      findings.push({
        id: ids[i]!,
        ruleId: f.ruleId,
        severity: f.severity,
        file,
        line: f.range.start.line + 1,
        message: f.message,
      });
    });
  }
  return sortBaseline({
    schemaVersion: BASELINE_SCHEMA_VERSION,
    assumptions: {
      hardware: input.hardware.name,
      inferencesPerDay: s.inferencesPerDay,
      carbonRegion: s.carbonRegion,
      deploymentTarget: s.deploymentTarget,
      deploymentBatch: s.deploymentBatch,
      trainingGpu: gpu,
      imagesPerEpoch: IMAGES_PER_EPOCH,
    },
    models: modelsOf(input),
    training,
    findings,
  });
}

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function sortBaseline(b: Baseline): Baseline {
  return {
    ...b,
    models: [...b.models].sort(byId),
    training: [...b.training].sort(byId),
    findings: [...b.findings].sort(byId),
  };
}

/** Keys in a fixed order at every level, two-space indent, final newline: the committed form. */
export function serializeBaseline(b: Baseline): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortKeys(sortBaseline(b)), null, 2) + '\n';
}
