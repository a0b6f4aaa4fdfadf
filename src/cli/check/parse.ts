/**
 * Reading a committed baseline back. The CLI checks the shape itself (the JSON schema in docs/ says the
 * same and is what tests validate against): a baseline that does not parse, is of a newer schema, or
 * lacks a field is refused with a message that says which, never half-used.
 */
import { BASELINE_SCHEMA_VERSION, type Band, type Baseline } from './baseline';

/** A baseline file that cannot be used; the CLI exits 2 (bad input). */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isBand(v: unknown): v is Band {
  return (
    isObj(v) &&
    isNum(v.value) &&
    isNum(v.low) &&
    isNum(v.high) &&
    typeof v.unit === 'string' &&
    (v.provenance === 'measured' || v.provenance === 'estimated')
  );
}

function checkList(
  doc: Obj,
  key: string,
  fields: Record<string, 'string' | 'number' | 'band?' | 'number?' | 'string?'>,
  where: string,
): void {
  const list = doc[key];
  if (!Array.isArray(list)) throw new BaselineError(`${where}: "${key}" must be a list.`);
  list.forEach((item, i) => {
    if (!isObj(item)) throw new BaselineError(`${where}: ${key}[${i}] must be an object.`);
    for (const [f, kind] of Object.entries(fields)) {
      const v = item[f];
      const ok =
        kind === 'string'
          ? typeof v === 'string'
          : kind === 'number'
            ? isNum(v)
            : kind === 'string?'
              ? v === undefined || typeof v === 'string'
              : kind === 'number?'
                ? v === undefined || isNum(v)
                : v === undefined || isBand(v);
      if (!ok)
        throw new BaselineError(
          `${where}: ${key}[${i}].${f} is missing or not a ${kind.replace('?', '').replace('band', 'figure with value, low, high, unit and provenance')}.`,
        );
    }
  });
}

/** A measured profile (schema version 2) must carry its figures and its provenance, or the baseline is refused. */
function checkMeasured(models: Obj[], where: string): void {
  models.forEach((m, i) => {
    const x = m.measured;
    if (x === undefined) return;
    const ok =
      isObj(x) &&
      isBand(x.energyPerInference) &&
      isBand(x.latencyMs) &&
      ['meter', 'machine', 'machineId', 'measuredAt', 'modelSha256'].every((k) => typeof x[k] === 'string') &&
      (x.budgetMs === undefined || isNum(x.budgetMs));
    if (!ok)
      throw new BaselineError(
        `${where}: models[${i}].measured must hold energyPerInference and latencyMs figures and the meter, machine, machineId, measuredAt and modelSha256 it was measured with.`,
      );
  });
}

/** Parses a baseline's text; `where` names the file in messages. */
export function parseBaseline(text: string, where: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(
      `${where} is not valid JSON (${(err as Error).message}); run greenlens check --update to write a new one.`,
    );
  }
  if (!isObj(doc)) throw new BaselineError(`${where} is not a GreenLens baseline (expected a JSON object).`);
  const v = doc.schemaVersion;
  if (!isNum(v) || !Number.isInteger(v) || v < 1)
    throw new BaselineError(`${where} is not a GreenLens baseline (no schemaVersion).`);
  if (v > BASELINE_SCHEMA_VERSION)
    throw new BaselineError(
      `${where} was written by a newer GreenLens (baseline schema ${v}; this version reads up to ${BASELINE_SCHEMA_VERSION}). Upgrade GreenLens.`,
    );
  const a = doc.assumptions;
  if (!isObj(a) || typeof a.hardware !== 'string' || !isNum(a.inferencesPerDay))
    throw new BaselineError(`${where}: "assumptions" must name the hardware and the inferences per day.`);
  checkList(
    doc,
    'models',
    {
      id: 'string',
      kind: 'string',
      file: 'string',
      name: 'string',
      line: 'number?',
      gmacs: 'number?',
      energyPerInference: 'band?',
      yearlyEnergy: 'band?',
    },
    where,
  );
  checkMeasured(doc.models as Obj[], where);
  checkList(
    doc,
    'training',
    { id: 'string', file: 'string', line: 'number', model: 'string?', energy: 'band?' },
    where,
  );
  checkList(
    doc,
    'findings',
    { id: 'string', ruleId: 'string', severity: 'string', file: 'string', line: 'number', message: 'string' },
    where,
  );
  return doc as unknown as Baseline;
}
