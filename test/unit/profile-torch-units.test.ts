/**
 * The PyTorch profiler's pure parts: variant specs, site choice, the JSON-lines guards, output decoding,
 * the result assembly (energy from RAPL counters or the CPU-time estimator, accuracy against labels), the
 * config literal inside the generated script, and the CLI's argument parsing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzePythonFiles } from '../../src/analyzers/python/index';
import { parseShape, parseTarget } from '../../src/cli/commands/profile-torch';
import { energyOf, harnessOverheadPct, passNotes, variantResult } from '../../src/profiler/torch/assemble';
import { configLiteral, generateHarness } from '../../src/profiler/torch/generate';
import { IMPORTS } from '../../src/profiler/torch/harness/core';
import { MEASURE } from '../../src/profiler/torch/harness/measure';
import { PASSES } from '../../src/profiler/torch/harness/passes';
import { passCount } from '../../src/profiler/passes';
import {
  decodeOutputs,
  isHarnessMessage,
  parseHarnessLine,
  parseTorchVariantList,
  pickSite,
  torchSiteOf,
  unsupportedReason,
  type HarnessConfig,
  type TorchSite,
} from '../../src/profiler/torch/index';
import type { MeasuredVariantMessage } from '../../src/profiler/torch/protocol';

const ROOT = path.join(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';

function b64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

function measured(over: Partial<MeasuredVariantMessage> = {}): MeasuredVariantMessage {
  return {
    type: 'variant',
    id: 'baseline',
    status: 'measured',
    notes: [],
    latenciesMs: [2, 2.1, 1.9, 2, 2, 2.2, 1.8, 2, 2, 2],
    warmupRuns: 3,
    cpuMsPerRun: 2,
    wallMs: 20,
    budgetExhausted: false,
    buildMs: 0,
    loadMs: 5,
    batch: 1,
    threads: 1,
    peakRssBytes: 1e8,
    stateDictBytes: 4000,
    runsPerBlock: 1,
    blocks: { ms: [2, 2.1, 1.9, 2, 2, 2.2, 1.8, 2, 2, 2], cpuMs: Array(10).fill(2), energyUj: null },
    outputs: { name: 'output', sampleDims: [3], samples: 2, base64: b64([1, 5, 2, 9, 0, 1]) },
    ...over,
  };
}

function config(site: Partial<TorchSite> = {}): HarnessConfig {
  return {
    site: {
      kind: 'module',
      file: '/tmp/m.py',
      line: 3,
      label: 'Net',
      framework: 'torch',
      siteKind: 'create',
      callee: 'Net',
      boundTo: ['model'],
      args: {},
      ...site,
    },
    input: {},
    dataset: null,
    batch: 1,
    randomSamples: 32,
    seed: 0,
    device: 'cpu',
    budgetMs: 10_000,
    targetCiPct: 2,
    maxRepetitions: 1000,
    maxOutputValues: 1000,
    rapl: [],
    onnxExport: null,
    variants: parseTorchVariantList('int8-dynamic'),
  };
}

void test('variant lists: the baseline first, sparsity parsed and checked, unknown kinds rejected', () => {
  assert.deepEqual(
    parseTorchVariantList('int8-dynamic, prune-global:0.3,torch-compile,int8-dynamic').map((v) => v.id),
    ['baseline', 'int8-dynamic', 'prune-global:0.3', 'torch-compile'],
  );
  assert.equal(parseTorchVariantList('prune-local').at(1)?.sparsity, 0.5);
  assert.throws(() => parseTorchVariantList('prune-local:1.5'), /between 0 and 1/);
  assert.throws(() => parseTorchVariantList('int4'), /unknown variant "int4"/);
});

void test('sites of the examples: resnet18 with its weights tag, a user module by its instantiation line', async () => {
  const files = ['classify_resnet18.py', 'linear_heavy.py', 'fashion_mlp.py', 'serve_onnx.py'].map((f) =>
    path.join(ROOT, 'examples', f),
  );
  const [resnet, heavy, fashion, onnx] = await analyzePythonFiles(files, { workers: 1 });
  const rs = resnet!.analysis!.sites;
  const r = pickSite(rs, 15);
  assert.ok('index' in r);
  const site = torchSiteOf(rs[r.index]!, files[0]!);
  assert.deepEqual(
    [site.kind, site.modelId, site.weights, site.line],
    ['torchvision', 'resnet18', 'IMAGENET1K_V1', 15],
  );
  const hs = heavy!.analysis!.sites;
  const h = pickSite(hs, 27);
  assert.ok('index' in h);
  const hsite = torchSiteOf(hs[h.index]!, files[1]!);
  assert.deepEqual([hsite.kind, hsite.className, hsite.boundTo], ['module', 'LinearHeavy', ['model']]);
  // The class definition line picks the class; a line without a site lists the lines that have one.
  const def = pickSite(hs, 12);
  assert.ok('index' in def && hs[def.index]!.kind === 'define');
  const none = pickSite(fashion!.analysis!.sites, 5);
  assert.ok('error' in none && /PyTorch sites are at lines 17, 26/.test(none.error), JSON.stringify(none));
  const ort = onnx!.analysis!.sites.find((s) => s.framework === 'onnxruntime');
  assert.ok(ort && /onnxruntime models are not PyTorch models/.test(unsupportedReason(ort) ?? ''));
});

void test('protocol guards accept well-formed lines and reject everything else', () => {
  assert.ok(parseHarnessLine(JSON.stringify(measured())));
  assert.ok(
    parseHarnessLine('{"type": "phase", "id": "baseline", "phase": "measuring", "repetitions": 10, "ciPct": null}'),
  );
  const measurement = {
    type: 'measurement',
    rounds: 3,
    granularityMs: 0.0001,
    blockTargetMs: 2,
    wallMs: 30,
    stoppedBy: 'budget',
    blockMsTotal: 20,
    load: [{ t: 0, busy: 10, total: 100, ownMs: 5, mhz: null }],
  };
  assert.ok(parseHarnessLine(JSON.stringify(measurement)));
  assert.ok(
    parseHarnessLine(JSON.stringify({ ...measurement, passes: 3, loopCostMs: 0.0003, leadInMs: 1, runsTotal: 40 })),
  );
  assert.ok(
    parseHarnessLine(JSON.stringify(measured({ blocks: { ms: [1, 2], cpuMs: [1, 1], pass: [0, 1], energyUj: null } }))),
  );
  assert.equal(parseHarnessLine(JSON.stringify({ ...measurement, load: [{ t: 0 }] })), undefined);
  assert.ok(
    parseHarnessLine(
      '{"type": "hello", "protocol": 1, "python": "3.11", "executable": "/x", "platform": "p", "torch": null, "torchError": "No module"}',
    ),
  );
  for (const bad of [
    'hello from the user module',
    '{"type": "variant"}',
    '{"type": "phase", "id": "b", "phase": "sleeping"}',
    '{"type": "done"}',
    '[1, 2]',
    '{"type": "error", "code": 3}',
    JSON.stringify(measured({ latenciesMs: [] })),
    JSON.stringify(measured({ blocks: { ms: [1, 2], cpuMs: [1], energyUj: null } })),
    JSON.stringify(measured({ blocks: { ms: [1], cpuMs: [1], energyUj: [1, 2] } })),
    JSON.stringify(measured({ runsPerBlock: 0 })),
    '{"type": "hello", "protocol": 1, "python": "3", "executable": "/x", "platform": "p", "torch": "2.1"}',
    JSON.stringify(measured({ blocks: { ms: [1, 2], cpuMs: [1, 1], pass: [0], energyUj: null } })),
    JSON.stringify(measured({ blocks: { ms: [1, 2], cpuMs: [1, 1], pass: [0, -1], energyUj: null } })),
    JSON.stringify({ ...measurement, passes: 'three' }),
  ])
    assert.equal(parseHarnessLine(bad), undefined, bad);
  assert.equal(isHarnessMessage({ type: 'done', ms: Number.NaN }), false);
});

void test('outputs decode to float32 per sample and must match their declared size', () => {
  const o = decodeOutputs({ name: 'logits', sampleDims: [3], samples: 2, base64: b64([1, 2, 3, 4, 5, 6]) });
  assert.deepEqual(Array.from(o.data), [1, 2, 3, 4, 5, 6]);
  assert.throws(
    () => decodeOutputs({ name: 'logits', sampleDims: [4], samples: 2, base64: b64([1, 2, 3]) }),
    /expected 2 × 4/,
  );
});

void test('assembly: statistics from the blocks, paired speed-up, RAPL energy when counters were read, the estimator otherwise, accuracy on labels', () => {
  const domains = [{ id: 'intel-rapl:0', name: 'package-0', energyFile: '/x', maxRangeUj: 1e9 }];
  const blocks = {
    ms: [2, 2.1, 1.9, 2, 2, 2.2, 1.8, 2, 2, 2],
    cpuMs: Array(10).fill(2),
    energyUj: Array(10).fill(50_000),
  };
  const base = variantResult({ id: 'baseline', kind: 'baseline' }, measured({ blocks }), {
    raplDomains: domains,
    labels: [1, 2],
    granularityMs: 0.001,
  });
  assert.equal(base.result.metrics?.p50Ms, 2);
  assert.equal(base.result.metrics?.repetitions, 10);
  assert.equal(base.result.metrics?.blocks, 10);
  assert.ok((base.result.metrics?.ciPct ?? 0) > 0);
  assert.equal(base.result.energy?.meter, 'rapl:package-0');
  assert.ok(Math.abs(base.result.energy!.perInference.value - 0.05) < 1e-12, '0.5 J over 10 runs of one sample');
  assert.deepEqual(base.result.speedup, { value: 1, low: 1, high: 1 });
  assert.equal(base.result.accuracy?.accuracy, 0.5, 'arg-max [1, 0] against labels [1, 2]: one of two right');
  const ctx = {
    raplDomains: domains,
    raplNote: undefined,
    labels: [1, 2],
    baseline: { ...base, batch: 1 },
    granularityMs: 0.001,
    cores: 2,
    wallMs: 40,
  };
  // Half the time of the baseline in every round: a paired speed-up of exactly 2 with a narrow interval.
  const half = { ms: blocks.ms.map((x) => x / 2), cpuMs: Array(10).fill(1), energyUj: null };
  const q = variantResult(
    { id: 'int8-dynamic', kind: 'int8-dynamic' },
    measured({
      id: 'int8-dynamic',
      blocks: half,
      raplError: 'EACCES',
      latenciesMs: blocks.ms.map((x) => x / 2),
      outputs: { name: 'output', sampleDims: [3], samples: 2, base64: b64([1, 5, 2, 9, 0, 1]) },
    }),
    ctx,
  );
  assert.equal(q.result.energy?.meter, 'estimate:cpu-time');
  assert.match(q.result.energy?.meterNote ?? '', /RAPL counters could not be read: EACCES/);
  assert.equal(q.result.speedup?.value, 2);
  assert.ok(q.result.speedup!.low > 1.99 && q.result.speedup!.high < 2.01, JSON.stringify(q.result.speedup));
  assert.equal(q.result.verdict, 'faster');
  assert.equal(q.result.resolution, undefined);
  assert.equal(q.result.accuracy?.top1Agreement, 1);
  assert.equal(q.result.accuracy?.baselineAccuracy, 0.5);
  // The same blocks as the baseline, a little shuffled: no measurable difference, and what a longer run would tell.
  const same = { ms: [...blocks.ms].reverse(), cpuMs: Array(10).fill(2), energyUj: null };
  const aa = variantResult(
    { id: 'prune-local:0.5', kind: 'prune-local', sparsity: 0.5 },
    measured({ id: 'prune-local:0.5', blocks: same }),
    ctx,
  );
  assert.equal(aa.result.verdict, 'no measurable difference');
  assert.ok(aa.result.speedup!.low <= 1 && aa.result.speedup!.high >= 1);
  assert.ok(aa.result.resolution);
  const na = variantResult(
    { id: 'torch-compile', kind: 'torch-compile' },
    { type: 'variant', id: 'torch-compile', status: 'not-applicable', reason: 'no torch.compile', notes: [] },
    ctx,
  );
  assert.deepEqual(
    [na.result.status, na.result.reason, na.result.metrics],
    ['not-applicable', 'no torch.compile', undefined],
  );
});

void test('the config survives the trip into Python: quotes, triple quotes, backslashes, newlines, unicode', () => {
  const nasty = 'C:\\Users\\Zoë\\"""x"""\\\n\t\'\'\' end\\';
  const c = config({ file: nasty, label: 'Net"""', boundTo: ['a\\', '"""'] });
  const out = execFileSync(PYTHON, ['-c', `${IMPORTS}\n${configLiteral(c)}\nprint(json.dumps(CONFIG))`], {
    encoding: 'utf8',
  });
  assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(c)));
  // The whole script compiles, and its header cannot break out of its comments.
  const script = generateHarness(c);
  assert.ok(
    script
      .split('\n')
      .slice(1, 30)
      .filter((l) => l.startsWith('#')).length > 10,
  );
  execFileSync(PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "harness.py", "exec")'], { input: script });
  assert.match(script, /It IMPORTS .*top-level code runs/);
});

void test('CLI arguments: file:LINE targets and shapes', () => {
  assert.deepEqual(parseTarget('examples/a.py:12'), { file: 'examples/a.py', line: 12 });
  assert.deepEqual(parseTarget('C:\\code\\a.py'), { file: 'C:\\code\\a.py' });
  assert.deepEqual(parseShape('1,3,224,224'), [1, 3, 224, 224]);
  assert.deepEqual(parseShape('1x784'), [1, 784]);
  assert.throws(() => parseShape('1,-3'), /--shape/);
});

void test('the CPU-time estimate divides mean CPU time by mean latency, never by the median', () => {
  // A skewed loop: the median run is very short, the mean long. With the median the CPU-time share
  // would exceed 100 % on any core count and be capped; with the mean it stays below 100 %.
  const lat = { p50: 0.001, p95: 20, p99: 30, mean: 10, ciPct: 1, n: 5, blocks: 5, cpuMsPerRun: 8 };
  const m = { cpuMsPerRun: 8, batch: 1, blocks: {} } as unknown as Parameters<typeof energyOf>[0];
  const reading = energyOf(m, lat, { raplDomains: [] });
  assert.equal(reading.meter, 'estimate:cpu-time');
  assert.ok(!reading.perInference.notes.some((n) => /capped at 100 %/.test(n)), reading.perInference.notes.join(' | '));
});

void test('the harness gives every lane the same runs per block: the target on average, 100 clock steps for the fastest', () => {
  // Two lanes of one model whose warm-up timings differ (one was slowed by other work), and a fast lane with a coarse clock.
  const call =
    'print(json.dumps([shared_runs_per_block([0.001, 0.0014], 0.014, 1e-6), shared_runs_per_block([1e-5, 1e-3], 0.002, 1e-6), shared_runs_per_block([], 0.01, 1e-6)]))';
  const out = execFileSync(PYTHON, ['-c', `${IMPORTS}\n${MEASURE}\n${call}`], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [12, 10, 1]);
  assert.match(
    generateHarness(config({})),
    /runs = shared_runs_per_block\(\[lane\["runS"\] for lane in lanes\], target, granularity\)/,
  );
});

void test("the harness counts its passes by the ONNX profiler's rule", () => {
  const cases: [number, number, number][] = [
    [60, 0.3, 0],
    [5, 0.5, 0],
    [5, 1.3, 0],
    [5, 1.4, 0],
    [20, 0.1, 4.8],
    [20, 0.1, 8],
    [1, 5, 0],
  ];
  const call = `print(json.dumps([pass_count(b, c, m) for b, c, m in ${JSON.stringify(cases)}]))`;
  const out = execFileSync(PYTHON, ['-c', `${IMPORTS}\n${PASSES}\n${call}`], { encoding: 'utf8' });
  assert.deepEqual(
    JSON.parse(out),
    cases.map(([b, c, m]) => passCount(b * 1000, c * 1000, m * 1000)),
  );
});

void test("assembly over passes: each pass compared on its own, the passes' spread in the combined interval, the harness's cost", () => {
  // Three passes of ten rounds: the variant is 3 % faster in one, 3 % slower in another, equal in the third;
  // each pass alone is sure of its direction, the combination is not.
  const pass = [...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2)] as number[];
  const ms = pass.map((_, r) => 2 * (1 + 0.001 * Math.sin(r)));
  const blocks = { ms, cpuMs: ms, medianMs: ms, pass, energyUj: null };
  const base = variantResult({ id: 'baseline', kind: 'baseline' }, measured({ blocks, latenciesMs: ms }), {
    raplDomains: [],
    granularityMs: 1e-6,
  });
  const factor = [0.97, 1.03, 1];
  const vms = ms.map((x, r) => x * (factor[pass[r]!] ?? 1));
  const ctx = { raplDomains: [], baseline: { ...base, batch: 1 }, granularityMs: 1e-6, cores: 2, wallMs: 60 };
  const v = variantResult(
    { id: 'prune-local:0.5', kind: 'prune-local', sparsity: 0.5 },
    measured({ id: 'prune-local:0.5', blocks: { ...blocks, ms: vms, cpuMs: vms, medianMs: vms }, latenciesMs: vms }),
    ctx,
  );
  assert.equal(v.result.passSpeedups?.length, 3);
  assert.deepEqual(
    v.result.passSpeedups?.map((s) => s.value > 1),
    [true, false, false],
  );
  assert.equal(v.result.verdict, 'no measurable difference', JSON.stringify(v.result.speedup));
  const m = {
    type: 'measurement' as const,
    rounds: 30,
    granularityMs: 1e-4,
    blockTargetMs: 2,
    wallMs: 1000,
    stoppedBy: 'budget',
    load: [],
    blockMsTotal: 950,
    passes: 3,
    loopCostMs: 0.001,
    leadInMs: 30,
    runsTotal: 10_000,
  };
  assert.ok(
    Math.abs((harnessOverheadPct(m) ?? NaN) - 3) < 1e-9,
    '20 ms between blocks and 10 ms of clock readings in 1 s',
  );
  assert.equal(harnessOverheadPct({ ...m, loopCostMs: undefined }), undefined);
  assert.match(passNotes(m).join(' '), /3 passes[\s\S]*3\.00 %/);
  assert.match(passNotes({ ...m, passes: 1 }).join(' '), /one pass/);
});
