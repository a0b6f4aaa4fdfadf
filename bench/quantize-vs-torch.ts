/**
 * GreenLens's dynamic int8 in onnxruntime against torch's quantize_dynamic, on the same architectures in
 * the same run: a 6-layer TransformerEncoder (d_model 512) and a 4×1024 MLP, defined and exported by
 * bench/quantize-vs-torch.py with Debian's python3-torch. Each speed-up is relative to its own fp32
 * (ours: the fp32 ONNX in onnxruntime; torch: the fp32 module, onednn engine).
 * Usage: npm run bench:quantize-vs-torch [-- --seconds 4]
 * Ends with: RESULT quantize-vs-torch ours_transformer=<x> torch_transformer=<x> ours_mlp=<x> torch_mlp=<x> min_ratio=<x>
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { profileModel } from '../src/profiler/index';

interface TorchSide { onnx: string; shape: number[]; torch_fp32_ms: number; torch_int8_ms: number; torch_speedup: number }

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] ?? '') || 4;

function torchSide(dir: string): { transformer: TorchSide; mlp: TorchSide } {
  // Debian's interpreter: a pyenv python3 earlier on PATH cannot see python3-torch.
  const r = spawnSync('/usr/bin/python3', [path.join(__dirname, 'quantize-vs-torch.py'), dir, String(seconds)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`the torch helper failed: ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as { transformer: TorchSide; mlp: TorchSide };
}

async function ours(name: string, side: TorchSide, dir: string): Promise<number> {
  const res = await profileModel({
    modelPath: side.onnx, storageDir: path.join(dir, 'store'), variants: 'int8-dynamic',
    inputs: { randomSamples: 4 }, budgetMs: seconds * 2 * 1000 / 0.6, targetCiPct: 1,
  });
  const [base, q] = res.variants;
  if (!base?.metrics || !q?.metrics || !q.speedup) throw new Error(`${name}: ${q?.status} ${q?.reason ?? ''}`);
  console.log(`${name.padEnd(12)} onnxruntime fp32 ${base.metrics.p50Ms.toFixed(3)} ms (±${base.metrics.ciPct.toFixed(1)} %), int8 ${q.metrics.p50Ms.toFixed(3)} ms (±${q.metrics.ciPct.toFixed(1)} %): ${q.speedup.toFixed(2)}×; ${q.notes[0] ?? ''}`);
  console.log(`${''.padEnd(12)} torch fp32 ${side.torch_fp32_ms.toFixed(3)} ms, quantize_dynamic ${side.torch_int8_ms.toFixed(3)} ms: ${side.torch_speedup.toFixed(2)}×  (input ${side.shape.join('×')})`);
  console.log(`${''.padEnd(12)} cosine similarity to fp32 ${q.accuracy?.cosineSimilarity.toFixed(5)}, max abs error ${q.accuracy?.maxAbsError.toExponential(2)}`);
  return q.speedup;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-qvt-'));
  const torch = torchSide(dir);
  const t = await ours('transformer', torch.transformer, dir);
  const m = await ours('mlp', torch.mlp, dir);
  const ratio = Math.min(t / torch.transformer.torch_speedup, m / torch.mlp.torch_speedup);
  const f = (x: number) => x.toFixed(2);
  console.log(`RESULT quantize-vs-torch ours_transformer=${f(t)} torch_transformer=${f(torch.transformer.torch_speedup)} ours_mlp=${f(m)} torch_mlp=${f(torch.mlp.torch_speedup)} min_ratio=${f(ratio)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
