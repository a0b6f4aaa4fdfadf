/**
 * GreenLens's dynamic int8 in onnxruntime against torch's quantize_dynamic, on the same architectures in
 * the same run: a 6-layer TransformerEncoder (d_model 512) and a 4×1024 MLP, defined and exported by
 * bench/quantize-vs-torch.py with Debian's python3-torch. Each speed-up is relative to its own fp32
 * (ours: the fp32 ONNX in onnxruntime; torch: the fp32 module, onednn engine).
 *
 * Fairness: both sides use the same intra-op thread count (the profiler's `auto` choice unless
 * --threads is given); fp32 and int8 run in back-to-back pairs, so each ratio compares two runs under the
 * same load; torch blocks and onnxruntime blocks alternate over several rounds, so drift of the machine
 * hits both sides alike. A speed-up is the median of the per-pair ratios, with its 95 % CI.
 * GreenLens's int8 model is the file its profiler builds (profileModel, variant int8-dynamic).
 * Usage: npm run bench:quantize-vs-torch [-- --seconds 0.6] [-- --rounds 8] [-- --threads n]
 * Ends with: RESULT quantize-vs-torch ours_transformer=<x> torch_transformer=<x> ours_mlp=<x> torch_mlp=<x> min_ratio=<x>
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type * as Ort from 'onnxruntime-node';
import { profileModel } from '../src/profiler/index';
import { createSession, toFeeds } from '../src/profiler/inWorker/ort';
import { modelInputs } from '../src/profiler/inWorker/job';
import { batchFeeds, randomSamples } from '../src/profiler/inputs';
import { medianCi, sortedCopy } from '../src/profiler/stats';
import { resolveThreads } from '../src/profiler/threads';

interface TorchModel {
  onnx: string;
  shape: number[];
  torch_quantized_linears: number;
}
interface Ready {
  models: Record<'transformer' | 'mlp', TorchModel>;
  torch: string;
  engine: string;
  threads: number;
}
interface Block {
  fp32: number[];
  int8: number[];
}

const argOf = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};
const blockSeconds = argOf('--seconds') ?? 0.6;
const rounds = argOf('--rounds') ?? 8;

/** The Python side as a line-oriented server: one JSON request in, one JSON answer out. */
class TorchSide {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(dir: string, threads: number): Promise<{ side: TorchSide; ready: Ready }> {
    // Debian's interpreter: a pyenv python3 earlier on PATH cannot see python3-torch.
    const child = spawn('/usr/bin/python3', [path.join(__dirname, 'quantize-vs-torch.py'), dir, String(threads)], {
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const side = new TorchSide(child);
    const first = await side.lines.next();
    if (first.done) throw new Error(`the torch helper failed: ${stderr}`);
    return { side, ready: JSON.parse(first.value) as Ready };
  }

  async block(model: string, flip: boolean): Promise<Block> {
    this.child.stdin.write(`${JSON.stringify({ model, seconds: blockSeconds, flip })}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('the torch helper ended early');
    return JSON.parse(line.value) as Block;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** onnxruntime's side of a block: fp32/int8 pairs for `blockSeconds`, at least 3. */
async function ortBlock(
  fp32: Ort.InferenceSession,
  int8: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  flip: boolean,
): Promise<Block> {
  const out: Block = { fp32: [], int8: [] };
  const timed = async (s: Ort.InferenceSession) => {
    const t = performance.now();
    await s.run(feeds);
    return performance.now() - t;
  };
  const end = performance.now() + blockSeconds * 1000;
  while (performance.now() < end || out.fp32.length < 3) {
    if (flip) {
      out.int8.push(await timed(int8));
      out.fp32.push(await timed(fp32));
    } else {
      out.fp32.push(await timed(fp32));
      out.int8.push(await timed(int8));
    }
  }
  return out;
}

/** Median of the per-pair fp32/int8 ratios with its 95 % CI, and the medians of both sides. */
function speedup(pairs: Block): { x: number; low: number; high: number; fp32: number; int8: number; n: number } {
  const ratios = pairs.fp32.map((f, i) => f / (pairs.int8[i] ?? NaN));
  const ci = medianCi(sortedCopy(ratios));
  return {
    x: ci.median,
    low: ci.low,
    high: ci.high,
    fp32: medianCi(sortedCopy(pairs.fp32)).median,
    int8: medianCi(sortedCopy(pairs.int8)).median,
    n: ratios.length,
  };
}

async function compare(
  name: 'transformer' | 'mlp',
  m: TorchModel,
  torch: TorchSide,
  threads: number,
  dir: string,
): Promise<{ ours: number; theirs: number }> {
  // GreenLens's own build of the int8 model, with its profiler's verdict on accuracy and speed.
  const res = await profileModel({
    modelPath: m.onnx,
    storageDir: path.join(dir, 'store'),
    variants: 'int8-dynamic',
    inputs: { randomSamples: 4 },
    budgetMs: 8000,
    threads,
  });
  const q = res.variants[1];
  if (!q?.modelPath || q.status !== 'measured') throw new Error(`${name}: ${q?.status} ${q?.reason ?? ''}`);
  const fp32 = await createSession(m.onnx, { threads });
  const int8 = await createSession(q.modelPath, { threads });
  const feeds = toFeeds(batchFeeds(randomSamples(modelInputs(m.onnx, { inputs: {} }), {}, 1), 0, 1));
  for (let i = 0; i < 5; i++) {
    await fp32.run(feeds);
    await int8.run(feeds);
  }
  const ours: Block = { fp32: [], int8: [] };
  const theirs: Block = { fp32: [], int8: [] };
  const add = (to: Block, b: Block) => {
    to.fp32.push(...b.fp32);
    to.int8.push(...b.int8);
  };
  for (let r = 0; r < rounds; r++) {
    const flip = r % 2 === 1;
    if (flip) {
      add(theirs, await torch.block(name, flip));
      add(ours, await ortBlock(fp32, int8, feeds, flip));
    } else {
      add(ours, await ortBlock(fp32, int8, feeds, flip));
      add(theirs, await torch.block(name, flip));
    }
  }
  await fp32.release();
  await int8.release();
  const o = speedup(ours);
  const t = speedup(theirs);
  const f = (x: number) => x.toFixed(2);
  console.log(
    `${name.padEnd(12)} onnxruntime fp32 ${o.fp32.toFixed(3)} ms, GreenLens int8 ${o.int8.toFixed(3)} ms: ${f(o.x)}× (95 % CI ${f(o.low)}–${f(o.high)}, ${o.n} pairs); ${q.notes[0] ?? ''}`,
  );
  console.log(
    `${''.padEnd(12)} torch fp32 ${t.fp32.toFixed(3)} ms, quantize_dynamic ${t.int8.toFixed(3)} ms: ${f(t.x)}× (95 % CI ${f(t.low)}–${f(t.high)}, ${t.n} pairs); ${m.torch_quantized_linears} nn.Linear quantized`,
  );
  const ps = q.speedup;
  console.log(
    `${''.padEnd(12)} profiler's own interleaved measurement ${ps ? `${f(ps.value)}× (${f(ps.low)}–${f(ps.high)}, ${q.verdict ?? ''})` : 'n/a'}; cosine similarity to fp32 ${q.accuracy?.cosineSimilarity.toFixed(5)}, max abs error ${q.accuracy?.maxAbsError.toExponential(2)} (input ${m.shape.join('×')})`,
  );
  return { ours: o.x, theirs: t.x };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-qvt-'));
  const explicit = argOf('--threads');
  const choice = await resolveThreads(explicit ?? 'auto');
  // Torch needs a number: onnxruntime's default is one thread per core.
  const threads = choice.threads ?? cpus().length;
  const { side, ready } = await TorchSide.start(dir, threads);
  try {
    console.log(
      `threads: ${threads} on both sides (${choice.reason}); torch ${ready.torch}, ${ready.engine} engine, ${ready.threads} threads; ${rounds} rounds of ${blockSeconds} s blocks per side`,
    );
    const t = await compare('transformer', ready.models.transformer, side, threads, dir);
    const m = await compare('mlp', ready.models.mlp, side, threads, dir);
    const ratio = Math.min(t.ours / t.theirs, m.ours / m.theirs);
    const f = (x: number) => x.toFixed(2);
    console.log(
      `RESULT quantize-vs-torch ours_transformer=${f(t.ours)} torch_transformer=${f(t.theirs)} ours_mlp=${f(m.ours)} torch_mlp=${f(m.theirs)} min_ratio=${f(ratio)}`,
    );
  } finally {
    side.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
