/**
 * Fuzz cases shared by the unit fuzz tests and `npm run fuzz` (bench/fuzz.ts): mutants of real ONNX models
 * and hostile Python files. Every case is a pure function of (seed, index), so a failure reproduces from
 * the two numbers printed with it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../../src/random';
import { CORPUS, MODELS_DIR } from '../unit/helpers/models';

/** The real models to mutate: the cached test models up to `maxBytes`, else nothing. */
export function realModels(maxBytes = 16 * 1024 * 1024): { name: string; bytes: Uint8Array }[] {
  if (!existsSync(MODELS_DIR)) return [];
  return readdirSync(MODELS_DIR)
    .filter((f) => f.endsWith('.onnx'))
    .sort()
    .filter((f) => statSync(path.join(MODELS_DIR, f)).size <= maxBytes)
    .map((f) => ({ name: f, bytes: readFileSync(path.join(MODELS_DIR, f)) }));
}

/** Every `step`-th single-operator model of Debian's libonnx-testdata (empty when not installed). */
export function corpusModels(step = 7): { name: string; bytes: Uint8Array }[] {
  const root = path.join(CORPUS, 'node');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((_, i) => i % step === 0)
    .map((d) => path.join(root, d, 'model.onnx'))
    .filter(existsSync)
    .map((f) => ({ name: path.relative(CORPUS, f), bytes: readFileSync(f) }));
}

export const ONNX_MUTATIONS = ['truncate', 'bitflip', 'length', 'splice', 'amplify', 'zero'] as const;
export type OnnxMutation = (typeof ONNX_MUTATIONS)[number];

function writeVarint(out: Uint8Array, at: number, value: number): void {
  let v = value;
  let p = at;
  do {
    if (p >= out.length) break;
    out[p++] = (v & 0x7f) | (v >= 128 ? 0x80 : 0);
    v = Math.floor(v / 128);
  } while (v > 0);
}

/**
 * One corrupted copy of `bytes`: cut short, bits flipped, a length-sized varint overwritten, a chunk
 * copied elsewhere, a run of empty repeated fields inserted (the memory amplification), or a run zeroed.
 */
export function mutateOnnx(bytes: Uint8Array, rnd: () => number, kind: OnnxMutation): Uint8Array {
  const at = Math.floor(rnd() * bytes.length);
  if (kind === 'truncate') return bytes.slice(0, at);
  if (kind === 'amplify') {
    // Empty fields of a repeated message type, as many as a few hundred KB hold.
    const tag = [0x0a, 0x12, 0x2a, 0x5a, 0x62, 0x6a, 0x3a][Math.floor(rnd() * 7)] as number;
    const run = new Uint8Array(2 * (1 + Math.floor(rnd() * 200_000)));
    for (let i = 0; i < run.length; i += 2) run[i] = tag;
    const out = new Uint8Array(bytes.length + run.length);
    out.set(bytes.subarray(0, at));
    out.set(run, at);
    out.set(bytes.subarray(at), at + run.length);
    return out;
  }
  const out = bytes.slice();
  if (kind === 'bitflip') {
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) {
      const p = Math.floor(rnd() * out.length);
      out[p] = (out[p] as number) ^ (1 << Math.floor(rnd() * 8));
    }
  } else if (kind === 'length') {
    // A huge or slightly-off length prefix: the classic way a corrupt file asks for gigabytes.
    writeVarint(out, at, rnd() < 0.5 ? Math.floor(rnd() * 2 ** 35) : Math.floor(rnd() * 64));
  } else if (kind === 'splice') {
    const len = Math.floor(rnd() * Math.min(4096, out.length - at));
    out.copyWithin(Math.floor(rnd() * out.length), at, at + len);
  } else {
    out.fill(0, at, Math.min(out.length, at + 1 + Math.floor(rnd() * 64)));
  }
  return out;
}

/** The ONNX case `index` of a run: which model and how it is mutated. */
export function onnxCase(
  models: { name: string; bytes: Uint8Array }[],
  seed: number,
  index: number,
): { label: string; bytes: Uint8Array } {
  const rnd = seededRandom(seed * 1_000_003 + index);
  const model = models[index % models.length] as { name: string; bytes: Uint8Array };
  const kind = ONNX_MUTATIONS[Math.floor(rnd() * ONNX_MUTATIONS.length)] as OnnxMutation;
  return { label: `${model.name} ${kind} (seed ${seed}, case ${index})`, bytes: mutateOnnx(model.bytes, rnd, kind) };
}

const HEADER = 'import torch\nimport torchvision\nfrom torchvision.models import resnet18\n';

type Family = (rnd: () => number, scale: number) => string | Buffer;

const int = (rnd: () => number, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

/** Hostile Python files by family; `scale` bounds their size (1: up to a few hundred KB). */
const FAMILIES: Record<string, Family> = {
  nestedBlocks: (rnd, scale) => {
    const depth = int(rnd, 50, Math.max(150, 300 * scale));
    const indent = ['\t', ' ', '  ', '    '][int(rnd, 0, 3)] as string;
    const kw = ['def f(x):', 'if x:', 'class C:', 'for i in x:', 'with a as b:', 'while x:', 'try:'][
      int(rnd, 0, 6)
    ] as string;
    let s = HEADER;
    for (let i = 0; i < depth; i++) s += `${indent.repeat(i)}${kw}\n`;
    return s + `${indent.repeat(depth)}m = resnet18()\n`;
  },
  nestedBrackets: (rnd, scale) => {
    const depth = int(rnd, 100, Math.max(400, 20_000 * scale));
    const [o, c] = (['()', '[]', '{}', '(['][int(rnd, 0, 3)] as string).split('') as [string, string];
    return `${HEADER}x = ${o.repeat(depth)}resnet18()${c.repeat(depth)}\n`;
  },
  hugeList: (rnd, scale) => `${HEADER}x = [${'1, '.repeat(int(rnd, 1000, 200_000 * scale))}]\n`,
  hugeCall: (rnd, scale) => `${HEADER}x = f(${'a,'.repeat(int(rnd, 1000, 200_000 * scale))})\n`,
  hugeChain: (rnd, scale) => `${HEADER}x = ${'a + '.repeat(int(rnd, 1000, 200_000 * scale))}a\n`,
  manySites: (rnd, scale) =>
    HEADER +
    Array.from({ length: int(rnd, 100, 5_000 * scale) }, (_, i) => `m${i} = resnet18()\ny${i} = m${i}(x)\n`).join(''),
  giantLine: (rnd, scale) => `${HEADER}s = "${'x'.repeat(int(rnd, 10_000, 500_000 * scale))}"\nm = resnet18()\n`,
  unterminated: (rnd, scale) => `${HEADER}s = """${'(['.repeat(int(rnd, 10, 10_000 * scale))}\nm = resnet18(\n`,
  unaryChain: (rnd, scale) =>
    `${HEADER}x = ${['-', 'not ', '~', 'lambda: ', 'await '][int(rnd, 0, 4)]!.repeat(int(rnd, 100, 50_000 * scale))}1\n`,
  attributeChain: (rnd, scale) => `${HEADER}x = torch${'.nn'.repeat(int(rnd, 100, 100_000 * scale))}\n`,
  invalidUtf8: (rnd, scale) => {
    const body = Buffer.alloc(int(rnd, 100, 20_000 * scale));
    for (let i = 0; i < body.length; i++) body[i] = rnd() < 0.3 ? int(rnd, 0x80, 0xff) : int(rnd, 0x20, 0x7e);
    return Buffer.concat([Buffer.from(HEADER + 'm = resnet18()\n# '), body, Buffer.from('\ny = m(x)\n')]);
  },
  nulBytes: (rnd) =>
    Buffer.concat([Buffer.from(HEADER), Buffer.alloc(int(rnd, 1, 1000)), Buffer.from('m = resnet18()\n')]),
  randomBytes: (rnd, scale) => {
    const b = Buffer.alloc(int(rnd, 1, 50_000 * scale));
    for (let i = 0; i < b.length; i++) b[i] = int(rnd, 0, 255);
    return b;
  },
  lineEndings: (rnd, scale) => {
    const eol = ['\r', '\r\n', '\n\r', '\u2028', '\f'][int(rnd, 0, 4)] as string;
    return (
      '\ufeff' +
      Array.from({ length: int(rnd, 10, 5_000 * scale) }, (_, i) =>
        i % 3 ? `m${i} = resnet18()` : `def f${i}(x):${eol} return x`,
      ).join(eol)
    );
  },
  surrogates: (rnd, scale) => `${HEADER}s = "${'\ud800x\udfff'.repeat(int(rnd, 1, 10_000 * scale))}"\nm = resnet18()\n`,
  mixed: (rnd, scale) => {
    const parts = [HEADER];
    for (let i = 0, n = int(rnd, 10, 2_000 * scale); i < n; i++) {
      const r = rnd();
      parts.push(
        r < 0.2
          ? `${' '.repeat(int(rnd, 0, 40))}m = resnet18(weights=${'('.repeat(int(rnd, 0, 30))}\n`
          : r < 0.4
            ? 'for e in range(100):\n  loss.backward()\n  opt.step()\n'
            : r < 0.6
              ? `x${i} = torch.hub.load("a", "b${i}")\n`
              : r < 0.8
                ? '"""\n'
                : '\\\n',
      );
    }
    return parts.join('');
  },
};

export const PYTHON_FAMILIES = Object.keys(FAMILIES);

/** The hostile Python case `index` of a run: its family and text or bytes. */
export function pythonCase(seed: number, index: number, scale = 1): { label: string; source: string | Buffer } {
  const rnd = seededRandom(seed * 7_000_003 + index);
  const family = PYTHON_FAMILIES[index % PYTHON_FAMILIES.length] as string;
  return { label: `${family} (seed ${seed}, case ${index})`, source: (FAMILIES[family] as Family)(rnd, scale) };
}
