/** Parsing and naming of variant specs (`int8-dynamic`, `prune-global:0.5`, `threads:1`, ...). Pure. */
import type { OptLevel, VariantSpec } from '../types';

/** Thrown for a spec that names no known variant; the message lists the accepted forms. */
export class VariantSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantSpecError';
  }
}

/** The accepted forms, for help texts. */
export const VARIANT_FORMS = [
  'int8-dynamic[:MatMul+Gemm+Conv][+per-channel]',
  'int8-static[:minmax|percentile[=99.99]][+per-tensor]',
  'fp16',
  'prune-local:<sparsity>',
  'prune-global:<sparsity>',
  'opt-disabled',
  'opt-basic',
  'opt-extended',
  'opt-all',
  'threads:<n>',
  'batch:<n>',
];

const OPS = new Set(['MatMul', 'Gemm', 'Conv']);
const LEVELS: OptLevel[] = ['disabled', 'basic', 'extended', 'all'];

function positiveInt(v: string | undefined, spec: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new VariantSpecError(`"${spec}": expected a positive integer after the colon`);
  return n;
}

function parseDynamic(spec: string, arg: string | undefined): VariantSpec {
  const tokens = arg ? arg.split('+') : [];
  const ops = tokens.filter((t) => OPS.has(t));
  const bad = tokens.filter((t) => !OPS.has(t) && t !== 'per-channel');
  if (bad.length)
    throw new VariantSpecError(`"${spec}": unknown option ${bad.join(', ')} (ops: MatMul, Gemm, Conv; or per-channel)`);
  return {
    id: spec,
    kind: 'int8-dynamic',
    ops: ops.length ? ops : ['MatMul', 'Gemm'],
    perChannel: tokens.includes('per-channel'),
  };
}

function parseStatic(spec: string, arg: string | undefined): VariantSpec {
  const out: VariantSpec = { id: spec, kind: 'int8-static', calibration: 'minmax', perChannel: true };
  for (const t of arg ? arg.split('+') : []) {
    if (t === 'minmax') out.calibration = 'minmax';
    else if (t.startsWith('percentile')) {
      out.calibration = 'percentile';
      out.percentile = t.includes('=') ? Number(t.split('=')[1]) : 99.99;
      if (!(out.percentile > 50 && out.percentile <= 100))
        throw new VariantSpecError(`"${spec}": percentile must be in (50, 100]`);
    } else if (t === 'per-tensor') out.perChannel = false;
    else throw new VariantSpecError(`"${spec}": unknown option ${t} (minmax, percentile[=p], per-tensor)`);
  }
  return out;
}

/** Parses one spec; throws VariantSpecError for an unknown one. */
export function parseVariant(raw: string): VariantSpec {
  const spec = raw.trim();
  const [name = '', arg] = spec.split(/:(.*)/s);
  switch (name) {
    case 'baseline':
    case 'fp32':
      return { id: 'baseline', kind: 'baseline' };
    case 'int8-dynamic':
      return parseDynamic(spec, arg);
    case 'int8-static':
      return parseStatic(spec, arg);
    case 'fp16':
      return { id: spec, kind: 'fp16' };
    case 'prune-local':
    case 'prune-global': {
      const sparsity = Number(arg ?? '0.5');
      if (!(sparsity > 0 && sparsity < 1)) throw new VariantSpecError(`"${spec}": sparsity must be between 0 and 1`);
      return { id: spec, kind: name, sparsity };
    }
    case 'threads':
      return { id: spec, kind: 'threads', threads: positiveInt(arg, spec) };
    case 'batch':
      return { id: spec, kind: 'batch', batch: positiveInt(arg, spec) };
    case 'opt':
    case 'opt-disabled':
    case 'opt-basic':
    case 'opt-extended':
    case 'opt-all': {
      const level = (name === 'opt' ? arg : name.slice(4)) as OptLevel;
      if (!LEVELS.includes(level)) throw new VariantSpecError(`"${spec}": level must be one of ${LEVELS.join(', ')}`);
      return { id: `opt-${level}`, kind: 'opt', level };
    }
    default:
      throw new VariantSpecError(`unknown variant "${spec}"; accepted: ${VARIANT_FORMS.join(', ')}`);
  }
}

/** Parses a comma-separated list; the baseline is always measured first (accuracy is relative to it). */
export function parseVariantList(list: string): VariantSpec[] {
  const specs = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parseVariant);
  const out: VariantSpec[] = [{ id: 'baseline', kind: 'baseline' }];
  for (const s of specs) if (!out.some((o) => o.id === s.id)) out.push(s);
  return out;
}

/** The default set of a profile run. */
export const DEFAULT_VARIANTS = 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all';

/** A label for reports. */
export function variantLabel(v: VariantSpec): string {
  switch (v.kind) {
    case 'baseline':
      return 'fp32 baseline';
    case 'int8-dynamic':
      return `int8 dynamic (${(v.ops ?? []).join('+')}${v.perChannel ? ', per-channel' : ''})`;
    case 'int8-static':
      return `int8 static QDQ (${v.calibration === 'percentile' ? `percentile ${v.percentile}` : 'min-max'}${v.perChannel ? ', per-channel' : ', per-tensor'})`;
    case 'fp16':
      return 'fp16 weights and compute';
    case 'prune-local':
      return `local magnitude pruning ${Math.round((v.sparsity ?? 0) * 100)} %`;
    case 'prune-global':
      return `global magnitude pruning ${Math.round((v.sparsity ?? 0) * 100)} %`;
    case 'opt':
      return `onnxruntime graph optimization: ${v.level}`;
    case 'threads':
      return `${v.threads} intra-op thread${v.threads === 1 ? '' : 's'}`;
    case 'batch':
      return `batch size ${v.batch}`;
  }
}
