/**
 * `greenlens check` end to end in a temporary git repository: a baseline written with --update passes;
 * a heavier model fails naming the file; dropping model.eval() fails when the repository's configuration
 * gates on information-level findings, and adding it back passes; moving a site is no change; the
 * Markdown summary matches its golden file; the baseline validates against docs/baseline.schema.json.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const APP = (model: string, evalLine: boolean, pad = 0): string => [
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
  const code = await main(['check', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, cwd: repo });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

before(() => {
  git('init', '-q');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  // Pinned hardware makes the figures independent of the machine running the test.
  writeFileSync(path.join(repo, 'greenlens.json'), JSON.stringify({ hardware: { profile: 'RTX 3090' }, check: { findingSeverity: 'information' } }, null, 2));
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true));
});

void test('check --update writes a baseline that validates against its schema, then check passes', async () => {
  const up = await check('--update');
  assert.equal(up.code, 0, up.err);
  const text = readFileSync(path.join(repo, 'greenlens-baseline.json'), 'utf8');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'docs', 'baseline.schema.json'), 'utf8')) as object);
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

void test('moving a model site by ten lines is no change', async () => {
  writeFileSync(path.join(repo, 'app.py'), APP('resnet18', true, 10));
  const r = await check('--format', 'json');
  assert.equal(r.code, 0, r.out);
  const doc = JSON.parse(r.out) as { items: Array<{ status: string; id: string }> };
  assert.deepEqual(doc.items.filter((i) => i.status !== 'unchanged'), []);
  assert.ok(doc.items.some((i) => i.id === 'py:app.py:model'));
  git('checkout', '--', 'app.py');
});

void test('quadrupling a training run fails on its training estimate', async () => {
  const train = (epochs: number): string => APP('resnet18', true) + [
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
