/**
 * Benchmark of the Python analyzer: the whole Python source of an installed package (Debian's
 * python3-torch by default) analyzed on worker threads, against CPython's own `ast.parse` over the same
 * files in the same run, plus the latency of re-analysis after one-character edits in a 2,000-line file.
 *
 * Usage: npm run bench:python-analyze [-- <folder>] [--python /usr/bin/python3] [--workers N] [--rounds 3] [--no-prefilter]
 * Ends with: RESULT python-analyze files=<n> mb_per_s=<ours> ratio_vs_cpython_parse=<ours/cpython> edit_p95_ms=<p95>
 * (throughput: medians of the rounds; edits: p95 of 200 edits after the process's first 200, shown apart).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PythonDocumentAnalyzer } from '../src/analyzers/python/document';
import { loadPythonGrammar } from '../src/analyzers/python/treeSitter';
import { availableParallelism } from 'node:os';
import { defaultWorkerScript, PythonAnalyzerPool } from '../src/analyzers/python/pool';

const CPYTHON_PARSE = `
import ast, sys, time
files = sys.stdin.read().split("\\n")
t = time.perf_counter()
for f in files:
    with open(f, "rb") as fh:
        src = fh.read()
    try:
        ast.parse(src)
    except (SyntaxError, ValueError):
        pass
print(time.perf_counter() - t)
`;

function pyFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) pyFiles(full, out);
    else if (e.isFile() && e.name.endsWith('.py')) out.push(full);
  }
  return out;
}

function cpythonSeconds(python: string, files: string[]): number {
  const r = spawnSync(python, ['-c', CPYTHON_PARSE], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${python} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/**
 * A 2,000-line training script: a model class, a pretrained backbone, a DataLoader, a training loop and
 * inference at the top, then helper functions of tensor and data code (what fills real scripts), with a
 * model call every few helpers so that sites and inference calls are spread through the file.
 */
function syntheticFile(lines: number): string {
  const out = [
    'import torch',
    'import torch.nn as nn',
    'from torchvision.models import resnet50',
    'from torch.utils.data import DataLoader',
    '',
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.fc = nn.Linear(64, 10)',
    '',
    '    def forward(self, x):',
    '        return self.fc(x)',
    '',
    'model = Net()',
    'backbone = resnet50(weights="DEFAULT").to("cuda")',
    'loader = DataLoader(data, batch_size=32)',
    'for epoch in range(20):',
    '    for x, y in loader:',
    '        loss = model(x).sum()',
    '        loss.backward()',
    '',
  ];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `def helper_${i}(values, scale=${i}):`,
      `    """Normalises batch ${i} and returns its statistics."""`,
      '    total = 0.0',
      '    for v in values:',
      '        if v is None:',
      '            continue',
      '        total += float(v) * scale',
      `    t = torch.tensor(values, dtype=torch.float32).reshape(-1, ${(i % 7) + 1})`,
      '    mean = t.mean(dim=0)',
      `    out = {"mean": mean.tolist(), "total": total, "name": "batch-${i}"}`,
      i % 10 === 0 ? `    return backbone(t.unsqueeze(0)), out` : '    return out',
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** Latencies (ms) of `rounds` one-character edits, each followed by the analysis the editor would run. */
function editLatencies(rounds: number, seed: number): number[] {
  const text = syntheticFile(2000);
  const doc = new PythonDocumentAnalyzer(text);
  doc.analyze();
  const times: number[] = [];
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < rounds; i++) {
    // Insert one character at the end of a random line (a keystroke), then analyze as the editor would.
    const src = doc.source;
    const lines = src.split('\n');
    const line = rand(lines.length - 1);
    const character = (lines[line] ?? '').length;
    let index = 0;
    for (let l = 0; l < line; l++) index += (lines[l] ?? '').length + 1;
    index += character;
    const t0 = performance.now();
    doc.update({
      startIndex: index,
      oldEndIndex: index,
      start: { line, character },
      oldEnd: { line, character },
      newText: i % 2 ? ' ' : '#',
    });
    doc.analyze();
    times.push(performance.now() - t0);
  }
  doc.dispose();
  return times;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * q)] ?? NaN;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      python: { type: 'string' },
      workers: { type: 'string' },
      rounds: { type: 'string' },
      'no-prefilter': { type: 'boolean' },
    },
  });
  const folder = positionals[0] ?? '/usr/lib/python3/dist-packages/torch';
  const python = values.python ?? '/usr/bin/python3';
  const files = pyFiles(folder);
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const workers = values.workers ? Number(values.workers) : availableParallelism();
  const rounds = Math.max(1, Number(values.rounds ?? 3));
  const prefilter = !values['no-prefilter'];
  const workerScript = defaultWorkerScript();
  if (!workerScript) throw new Error('no worker script found');
  const mb = bytes / 1e6;
  console.log(`files: ${files.length} (${mb.toFixed(1)} MB) in ${folder}`);

  // Starting the workers (and, from source, compiling them with tsx) is timed apart, like the
  // interpreter start-up that the CPython figure leaves out.
  const tStart = performance.now();
  const pool = new PythonAnalyzerPool({ workers, workerScript, prefilter });
  await pool.ready();
  console.log(
    `worker start-up (${workers} workers, not counted below): ${((performance.now() - tStart) / 1000).toFixed(2)} s`,
  );

  // Both sides run in turns, so that a burst of load from other processes falls on both alike; the
  // medians of the rounds are compared. The pool stays up between rounds, as in the editor.
  const ours: number[] = [];
  const cpython: number[] = [];
  let results: Awaited<ReturnType<PythonAnalyzerPool['analyze']>> = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    results = await pool.analyze(files);
    ours.push((performance.now() - t0) / 1000);
    cpython.push(cpythonSeconds(python, files));
    console.log(`round ${r + 1}: ours ${ours[r]?.toFixed(2)} s, cpython ast.parse ${cpython[r]?.toFixed(2)} s`);
  }
  await pool.close();
  const parsed = results.filter((r) => r.analysis && !r.analysis.skipped);
  const sites = results.reduce((s, r) => s + (r.analysis?.sites.length ?? 0), 0);
  const findings = results.reduce((s, r) => s + (r.analysis?.findings.length ?? 0), 0);
  const errors = results.filter((r) => r.error || r.analysis?.incomplete).length;
  const oursMedian = quantile(ours, 0.5);
  const cpythonMedian = quantile(cpython, 0.5);
  const filtered = prefilter
    ? ', the others shown by the byte prefilter to contain no model (their analysis is empty either way)'
    : ', prefilter off';
  console.log(
    `ours (median of ${rounds}): ${oursMedian.toFixed(2)} s (${(mb / oursMedian).toFixed(2)} MB/s), parsed and analyzed ${parsed.length} files${filtered}; ${sites} sites, ${findings} findings, ${errors} errors`,
  );
  console.log(
    `cpython ast.parse (${python}, median of ${rounds}): ${cpythonMedian.toFixed(2)} s (${(mb / cpythonMedian).toFixed(2)} MB/s)`,
  );

  await loadPythonGrammar();
  // The first edits of a process run before V8 has compiled the analyzer: shown apart, then the
  // steady state that typing sees is measured on a fresh document with its own edits.
  const cold = editLatencies(200, 777);
  const warm = editLatencies(200, 12345);
  const p95 = quantile(warm, 0.95);
  console.log(
    `edit re-analysis, first 200 edits of the process (JIT warm-up included): median ${quantile(cold, 0.5).toFixed(2)} ms, p95 ${quantile(cold, 0.95).toFixed(2)} ms`,
  );
  console.log(
    `edit re-analysis, next 200 edits on a new 2,000-line document: median ${quantile(warm, 0.5).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
  );
  console.log(
    `RESULT python-analyze files=${files.length} mb_per_s=${(mb / oursMedian).toFixed(2)} ratio_vs_cpython_parse=${(oursMedian / cpythonMedian).toFixed(3)} edit_p95_ms=${p95.toFixed(2)}`,
  );
}

void main();
