/**
 * Hardware specifications: fuzzy lookup of CPU and GPU names in the CodeCarbon CPU table and the ML CO2
 * Impact GPU table, and the resolution of the user's hardware profile (a name, or `auto` with what
 * detect.ts found) into a device with a TDP estimate. Pure: detection lives in detect.ts.
 */
import { readDataFile } from '../dataFiles';
import { makeEstimate, type Estimate } from './quantity';
import { SOURCES } from './sources';
import { classifyCpu, wattsPerCore } from './cpu-classes';

/** One row of the hardware tables. */
export interface HardwareSpec {
  name: string;
  kind: 'cpu' | 'gpu' | 'tpu';
  tdpW: number;
  tflops32?: number;
  tflops16?: number;
  memoryGB?: number;
  source: string;
}

/** Result of a name lookup: the row, how the match was made, and a score for ranking. */
export interface HardwareMatch {
  spec: HardwareSpec;
  match: 'exact' | 'fuzzy';
  score: number;
}

// Words that vendors add to marketing names but the tables leave out.
const NOISE = new Set([
  'r',
  'tm',
  'cpu',
  'processor',
  'nvidia',
  'geforce',
  'tesla',
  'with',
  'radeon',
  'graphics',
  'mobile',
  'gen',
  'core',
  'apu',
  'amd',
  'intel',
]);

/** Lower-cased tokens of a hardware name without trademarks, clock speeds, core counts and vendor noise. */
export function tokenize(name: string): string[] {
  const cleaned = name
    .toLowerCase()
    .replace(/\((r|tm|c)\)/g, ' ')
    .replace(/@\s*[\d.]+\s*[gm]hz/g, ' ')
    .replace(/\b\d+-core\b/g, ' ')
    .replace(/\b(\d+)\s*gb\b/g, '$1gb');
  return cleaned.split(/[\s\-_/,]+/).filter((t) => t && !NOISE.has(t));
}

/** Tokens that identify a model (contain a digit and are not a memory size): "7950x", "12700h", "t4", "a100". */
function modelTokens(tokens: readonly string[]): string[] {
  return tokens.filter((t) => /\d/.test(t) && !/^\d+gb$/.test(t) && !/^\d{1,2}$/.test(t));
}

function toSpec(row: {
  name: string;
  type: string;
  tdpW: number;
  tflops32?: number;
  tflops16?: number;
  memoryGB?: number;
}): HardwareSpec {
  const kind = row.type === 'cpu' ? 'cpu' : row.type === 'tpu' ? 'tpu' : 'gpu';
  return {
    name: row.name,
    kind,
    tdpW: row.tdpW,
    tflops32: row.tflops32,
    tflops16: row.tflops16,
    memoryGB: row.memoryGB,
    source: SOURCES.mlco2Gpus,
  };
}

type IndexedSpec = HardwareSpec & { tokens: string[]; models: string[] };
let specs: readonly IndexedSpec[] | undefined;

/** The CPU and GPU tables, tokenized on first use (3,000 rows: too slow for import time). */
function allSpecs(): readonly IndexedSpec[] {
  if (specs) return specs;
  const gpuTable = readDataFile<Parameters<typeof toSpec>[0][]>(__dirname, 'gpus.json');
  const cpuTable = readDataFile<[string, number][]>(__dirname, 'cpus.json');
  specs = [
    ...gpuTable.map(toSpec),
    ...cpuTable.map(([name, tdpW]): HardwareSpec => ({ name, kind: 'cpu', tdpW, source: SOURCES.codecarbonCpu })),
  ].map((s) => {
    const tokens = tokenize(s.name);
    return { ...s, tokens, models: modelTokens(tokens) };
  });
  return specs;
}

/**
 * Finds a CPU or GPU by name. A candidate qualifies when every model token of its table name appears in
 * the query (so "7950X" never matches "7950X3D" and "RTX 3080" never matches "RTX 3080 Ti"); the best
 * qualifying candidate shares the most tokens with the query. Returns undefined when nothing qualifies.
 */
export function lookupHardware(name: string, kind?: 'cpu' | 'gpu'): HardwareMatch | undefined {
  const q = tokenize(name);
  const qset = new Set(q);
  const qModels = modelTokens(q);
  if (qModels.length === 0) return undefined;
  let best: HardwareMatch | undefined;
  for (const s of allSpecs()) {
    if (kind && s.kind !== kind && !(kind === 'gpu' && s.kind === 'tpu')) continue;
    if (s.models.length === 0 || !s.models.every((t) => qset.has(t))) continue;
    const shared = s.tokens.filter((t) => qset.has(t)).length;
    const extra = s.tokens.length - shared;
    const exact = extra === 0 && shared === q.length;
    const score = shared - 0.25 * extra + (exact ? 100 : 0);
    if (!best || score > best.score || (score === best.score && s.name < best.spec.name)) {
      const { tokens: _t, models: _m, ...spec } = s;
      best = { spec, match: exact ? 'exact' : 'fuzzy', score };
    }
  }
  return best;
}

/** Looks like a GPU name (used to search the GPU table first for a free-text hardware profile). */
export function looksLikeGpu(name: string): boolean {
  return /nvidia|geforce|\brtx\b|\bgtx\b|tesla|quadro|titan|\b[ahlvtpk]\d{1,3}\b|radeon\s+(rx|pro|instinct)|\btpu/i.test(
    name,
  );
}

/** A device the estimates are made for. */
export interface Device {
  kind: 'cpu' | 'gpu';
  /** The name as given or detected. */
  name: string;
  /** The table row it matched, when one did. */
  matchedName?: string;
  /** TDP (board power for GPUs), W, with a band and notes saying how it was obtained. */
  tdp: Estimate;
  /** Logical cores (CPUs only). */
  cores?: number;
  tflops32?: number;
  memoryGB?: number;
}

/**
 * Builds the Device for a CPU name and logical core count; an unknown CPU gets the per-core power of its
 * vendor and class (server, desktop, laptop) from reference CPUs of the same table, with their spread.
 */
export function cpuDevice(name: string, cores: number): Device {
  const safeCores = Number.isFinite(cores) && cores >= 1 ? Math.round(cores) : 1;
  const m = lookupHardware(name, 'cpu');
  if (m) {
    const notes =
      m.match === 'fuzzy' ? [`"${name}" matched "${m.spec.name}" in the CPU table by name similarity.`] : [];
    // Package power varies around TDP: below it when partly idle, above it under turbo limits.
    const tdp = makeEstimate(m.spec.tdpW, 'W', {
      low: m.spec.tdpW * 0.7,
      high: m.spec.tdpW * 1.3,
      method: 'TDP from the CPU table',
      sources: [m.spec.source],
      notes,
    });
    return { kind: 'cpu', name, matchedName: m.spec.name, tdp, cores: safeCores };
  }
  const { vendor, cls } = classifyCpu(name);
  const f = wattsPerCore(vendor, cls, lookupHardware);
  const who = `${vendor === 'other' ? 'any-vendor' : vendor === 'amd' ? 'AMD' : 'Intel'} ${cls}`;
  const r = (x: number): string => x.toFixed(1);
  const note = `No TDP entry for "${name}" in the CodeCarbon CPU table; assuming ${r(f.value)} W per logical core × ${safeCores} cores = ${r(f.value * safeCores)} W, the median of ${f.references.length} ${who} CPUs of that table (band ${r(f.low)}–${r(f.high)} W per core).`;
  const tdp = makeEstimate(f.value * safeCores, 'W', {
    low: f.low * safeCores,
    high: f.high * safeCores,
    method: `${who} median ${r(f.value)} W per core`,
    sources: [SOURCES.codecarbonCpu],
    notes: [note],
  });
  return { kind: 'cpu', name, tdp, cores: safeCores };
}

/** Builds the Device for a GPU name; `powerLimitW` (from nvidia-smi) is used when the table has no entry. */
export function gpuDevice(name: string, powerLimitW?: number): Device | undefined {
  const m = lookupHardware(name, 'gpu');
  if (m) {
    const notes =
      m.match === 'fuzzy' ? [`"${name}" matched "${m.spec.name}" in the GPU table by name similarity.`] : [];
    const tdp = makeEstimate(m.spec.tdpW, 'W', {
      low: m.spec.tdpW * 0.5,
      high: m.spec.tdpW,
      method: 'TDP from the GPU table',
      sources: [m.spec.source],
      notes,
    });
    return { kind: 'gpu', name, matchedName: m.spec.name, tdp, tflops32: m.spec.tflops32, memoryGB: m.spec.memoryGB };
  }
  if (powerLimitW !== undefined && Number.isFinite(powerLimitW) && powerLimitW > 0) {
    const tdp = makeEstimate(powerLimitW, 'W', {
      low: powerLimitW * 0.5,
      high: powerLimitW,
      provenance: 'measured',
      method: 'power limit reported by nvidia-smi',
      notes: [`"${name}" is not in the GPU table; using the power limit nvidia-smi reports.`],
    });
    return { kind: 'gpu', name, tdp };
  }
  return undefined;
}
