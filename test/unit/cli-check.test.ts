/**
 * `greenlens check` end to end in a temporary git repository: a baseline written with --update passes;
 * a heavier model fails naming the file; dropping model.eval() fails when the repository's configuration
 * gates on information-level findings, and adding it back passes; moving a site is no change; the
 * Markdown summary matches its golden file; the baseline validates against docs/baseline.schema.json; a
 * real profile of an ONNX model cached by `greenlens profile` is recorded with its provenance and compared.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { main } from '../../src/cli/main';
import { spawnCli, waitExit } from './helpers/cliProcess';

const ROOT = path.join(__dirname, '..', '..');
const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'check', 'regression.md');
const repo = mkdtempSync(path.join(tmpdir(), 'gl-check-'));
after(() => rmSync(repo, { recursive: true, force: true }));

const APP = (model: string, evalLine: boolean, pad = 0): string =>
  [
    'import torch',
    'import torchvision',
    ...Array.from({ length: pad }, (_, i) => `# padding line ${i + 1}`),
    '',
    `model = torchvision.models.${model}(weights="DEFAULT")`,
    ...(evalLine ? ['model.eval()'] : []),
    '',
    '',
    'def predict(x):',
    '    with torch.no_grad():',
    '        return model(x)',
    '',
  ].join('\n');

async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['check', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    isTTY: false,
    cwd: repo,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

before(() => {
  git('init', '-q');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  // Pinned hardware makes the figures independent of the machine running the test.
  writeFileSync(
    path.join(repo, 'greenlens.json'),
    JSON.stringify({ hardware: { profile: 'RTX 3090' }, check: { findingSeverity: 'information' } }, null, 2),
  );
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true));
});

void test('check --update writes a baseline that validates against its schema, then check passes', async () => {
  const up = await check('--update');
  assert.equal(up.code, 0, up.err);
  const text = readFileSync(path.join(repo, 'greenlens-baseline.json'), 'utf8');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(
    JSON.parse(readFileSync(path.join(ROOT, 'docs', 'baseline.schema.json'), 'utf8')) as object,
  );
  const doc: unknown = JSON.parse(text);
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.match(text, /"id": "py:app\.py:model"/);
  git('add', '-A');
  git('commit', '-qm', 'baseline');
  const again = await check();
  assert.equal(again.code, 0, again.out + again.err);
  assert.match(again.out, /no energy regression/);
  // A second --update of the unchanged workspace writes the same bytes: the baseline is stable.
  assert.equal((await check('--update')).code, 0);
  assert.equal(git('status', '--porcelain'), '');
});

void test('swapping resnet18 for resnet152 fails with exit 1 and names the file, line and figures', async () => {
  writeFileSync(path.join(repo, 'app.py'), APP('resnet152', true));
  const r = await check();
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^app\.py:4: REGRESSION: resnet152: energy per inference rose \+\d+ %/m);
  assert.match(r.out, /→/);
  // The process's own exit status, as a CI runner sees it.
  const proc = await waitExit(spawnCli(['check', repo]));
  assert.equal(proc.code, 1, proc.stderr);
  assert.match(proc.stdout, /app\.py:4: REGRESSION/);
  const md = await check('--format', 'md');
  assert.equal(md.code, 1);
  assert.equal(md.out + '\n', readFileSync(GOLDEN, 'utf8'));
  git('checkout', '--', 'app.py');
});

void test('dropping model.eval() fails under the repository gate; adding it back passes', async () => {
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', false));
  const dropped = await check();
  assert.equal(dropped.code, 1, dropped.out);
  assert.match(dropped.out, /app\.py:\d+: REGRESSION: GL002: new information GL002/);
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true));
  const back = await check();
  assert.equal(back.code, 0, back.out);
});

void test('with default settings a dropped model.eval() is listed as new but passes, and adding it back passes', async () => {
  const config = path.join(repo, 'greenlens.json');
  const saved = readFileSync(config, 'utf8');
  try {
    // No gate in the configuration: GL002 is an information-level finding, below the default gate (warning).
    writeFileSync(config, JSON.stringify({ hardware: { profile: 'RTX 3090' } }));
    writeFileSync(path.join(repo, 'app.py'), APP('resnet18', false));
    const dropped = await check();
    assert.equal(dropped.code, 0, dropped.out);
    assert.match(dropped.out, /^app\.py:\d+: new: GL002: new information GL002: `model` is never put in eval mode/m);
    assert.match((await check('--format', 'md')).out, /\| 🆕 new \| app\.py:\d+ \| GL002 \|/);
    writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true));
    const back = await check();
    assert.equal(back.code, 0, back.out);
  } finally {
    writeFileSync(config, saved);
    git('checkout', '--', 'app.py');
  }
});

void test('moving a model site by ten lines is no change', async () => {
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true, 10));
  const r = await check('--format', 'json');
  assert.equal(r.code, 0, r.out);
  const doc = JSON.parse(r.out) as { items: Array<{ status: string; id: string }> };
  assert.deepEqual(
    doc.items.filter((i) => i.status !== 'unchanged'),
    [],
  );
  assert.ok(doc.items.some((i) => i.id === 'py:app.py:model'));
  git('checkout', '--', 'app.py');
});

void test('quadrupling a training run fails on its training estimate', async () => {
  const train = (epochs: number): string =>
    APP('resnet18', true) +
    [
      'opt = torch.optim.SGD(model.parameters(), lr=0.1)',
      `for epoch in range(${epochs}):`,
      '    for x, y in loader:',
      '        loss = model(x).sum()',
      '        loss.backward()',
      '        opt.step()',
      '',
    ].join('\n');
  writeFileSync(path.join(repo, 'app.py'), train(10));
  assert.equal((await check('--update')).code, 0);
  const baseline = readFileSync(path.join(repo, 'greenlens-baseline.json'), 'utf8');
  assert.match(baseline, /"id": "train:app\.py:model"/);
  writeFileSync(path.join(repo, 'app.py'), train(40));
  const r = await check();
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /app\.py:\d+: REGRESSION: .*training energy rose \+300 %/);
  git('checkout', '--', 'app.py', 'greenlens-baseline.json');
});

void test('a cached profile of an ONNX model is recorded with its provenance; a measured rise beyond the intervals fails', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gl-check-cache-'));
  const cache = path.join(work, 'cache');
  try {
    mkdirSync(path.join(repo, 'models'), { recursive: true });
    copyFileSync(path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx'), path.join(repo, 'models', 'mlp.onnx'));
    // A real, short profile of the baseline model only, into a cache folder of the test's own.
    const io = { out: (): void => {}, err: (): void => {}, isTTY: false, cwd: repo };
    assert.equal(
      await main(
        [
          'profile',
          'models/mlp.onnx',
          '--variants',
          '',
          '--budget',
          '2s',
          '--cache',
          cache,
          '--storage',
          path.join(work, 'variants'),
        ],
        io,
      ),
      0,
    );
    assert.equal((await check('--update', '--profile-cache', cache)).code, 0);
    const doc = JSON.parse(readFileSync(path.join(repo, 'greenlens-baseline.json'), 'utf8')) as {
      schemaVersion: number;
      models: Array<{
        id: string;
        measured?: {
          energyPerInference: { value: number; low: number; high: number; provenance: string };
          latencyMs: { value: number };
          machine: string;
          machineId: string;
          measuredAt: string;
          budgetMs: number;
          meter: string;
        };
      }>;
    };
    assert.equal(doc.schemaVersion, 2);
    const m = doc.models.find((x) => x.id === 'onnx:models/mlp.onnx')?.measured;
    assert.ok(m, 'the ONNX model carries its measured profile');
    assert.equal(m.budgetMs, 2000);
    assert.ok(m.energyPerInference.value > 0 && m.latencyMs.value > 0);
    assert.ok(Math.abs(Date.parse(m.measuredAt) - Date.now()) < 10 * 60_000, m.measuredAt);
    assert.match(m.machine, /cores, .* GiB, \w+-\w+, onnxruntime /);
    // The Python site has no cached profile: only ONNX files are profiled by the cache's profiler.
    assert.equal(doc.models.find((x) => x.id === 'py:app.py:model')?.measured, undefined);
    // The same cache on the next check: no change.
    const same = await check('--profile-cache', cache);
    assert.equal(same.code, 0, same.out);
    // Without the cache (a CI runner) the measurement is not compared, and the output says so.
    const ci = await check('--profile-cache', path.join(work, 'empty'));
    assert.equal(ci.code, 0, ci.out);
    assert.match(ci.out, /note: models\/mlp\.onnx: measured in the baseline .* no profile is cached here/);
    // A baseline measured at a tenth of today's energy: today's real measurement is a regression.
    const e = m.energyPerInference;
    Object.assign(e, { value: e.value / 10, low: e.low / 10, high: e.high / 10 });
    writeFileSync(path.join(repo, 'greenlens-baseline.json'), JSON.stringify(doc, null, 2));
    const rose = await check('--profile-cache', cache);
    assert.equal(rose.code, 1, rose.out);
    assert.match(
      rose.out,
      /^models\/mlp\.onnx: REGRESSION: .*measured energy per inference rose \+\d+ %, more than the 10 % threshold, and the intervals do not overlap/m,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(path.join(repo, 'models'), { recursive: true, force: true });
    git('checkout', '--', 'greenlens-baseline.json');
  }
});
