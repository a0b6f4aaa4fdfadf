/**
 * Bad input to `greenlens check` exits 2 with a sentence that says what is wrong, and writes nothing: a
 * corrupt baseline, one from a newer schema, a missing folder or baseline, a bad flag value, and an
 * unusable repository configuration (greenlens.json or pyproject.toml).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main';

const dir = mkdtempSync(path.join(tmpdir(), 'gl-check-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function check(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['check', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A workspace with one model and the given files; returns its folder. */
function workspace(name: string, files: Record<string, string>): string {
  const ws = path.join(dir, name);
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'app.py'), 'import torchvision\nmodel = torchvision.models.resnet18()\n');
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(ws, f), text);
  return ws;
}

/** Runs check and asserts exit 2, the message, and that the folder's files are unchanged. */
async function refused(ws: string, args: string[], message: RegExp): Promise<void> {
  const before = new Map(readdirSync(ws).map((f) => [f, readFileSync(path.join(ws, f), 'utf8')]));
  const r = await check(ws, ...args);
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, message);
  assert.deepEqual(
    new Map(readdirSync(ws).map((f) => [f, readFileSync(path.join(ws, f), 'utf8')])),
    before,
    'nothing written',
  );
}

void test('a corrupt baseline is refused with exit 2', async () => {
  const ws = workspace('corrupt', { 'greenlens-baseline.json': '{"schemaVersion": 1, "models": [' });
  await refused(ws, [], /greenlens-baseline\.json is not valid JSON/);
});

void test('a baseline with a missing field is refused, naming the field', async () => {
  const ws = workspace('shape', {
    'greenlens-baseline.json': JSON.stringify({
      schemaVersion: 1,
      assumptions: { hardware: 'x', inferencesPerDay: 1 },
      models: [{ id: 'py:a', kind: 'python-site', file: 'a.py' }],
      training: [],
      findings: [],
    }),
  });
  await refused(ws, [], /models\[0\]\.name is missing/);
});

void test('a baseline from a newer schema is refused with exit 2', async () => {
  const ws = workspace('newer', {
    'greenlens-baseline.json': JSON.stringify({
      schemaVersion: 99,
      assumptions: {},
      models: [],
      training: [],
      findings: [],
    }),
  });
  await refused(ws, [], /newer GreenLens \(baseline schema 99; this version reads up to 2\)/);
});

void test('a missing folder or a missing baseline is refused with exit 2', async () => {
  const r = await check(dir, path.join(dir, 'nowhere'));
  assert.equal(r.code, 2);
  assert.match(r.err, /nowhere/);
  const ws = workspace('nobaseline', {});
  await refused(ws, [], /no baseline at .*greenlens-baseline\.json; write one with greenlens check --update/);
});

void test('bad flags exit 2 and name the flag', async () => {
  const ws = workspace('flags', {});
  await refused(ws, ['--update', '--threshold', '-3'], /--threshold must be a number from 0 to 10000; got -3\./);
  await refused(ws, ['--update', '--format', 'xml'], /--format must be one of text, md, json, sarif; got "xml"/);
  await refused(
    ws,
    ['--update', '--fail-on', 'loud'],
    /--fail-on must be one of hint, information, warning, error; got "loud"/,
  );
  await refused(ws, ['--update', '--bogus'], /unknown option --bogus/);
  await refused(ws, ['--update', '--region', 'not a region'], /--region has an unusable value/);
});

void test('an unusable repository configuration exits 2 and names the file and key', async () => {
  await refused(
    workspace('cfg-json', { 'greenlens.json': '{"check": {"threshold": "ten"}}' }),
    ['--update'],
    /greenlens\.json: check\.threshold must be a number from 0 to 10000; got "ten"\./,
  );
  await refused(
    workspace('cfg-key', { 'greenlens.json': '{"codeLens": {"enabled": false}}' }),
    ['--update'],
    /greenlens\.json: unknown setting "codeLens"/,
  );
  await refused(
    workspace('cfg-toml', { 'pyproject.toml': '[tool.greenlens\nx = 1' }),
    ['--update'],
    /pyproject\.toml is not valid TOML/,
  );
});

void test('[tool.greenlens] in pyproject.toml is read; flags override it', async () => {
  const ws = workspace('toml', {
    'pyproject.toml':
      '[project]\nname = "x"\n\n[tool.greenlens]\nhardware.profile = "RTX 3090"\n\n[tool.greenlens.workload]\ninferencesPerDay = 5000\n',
  });
  assert.equal((await check(ws, '--update')).code, 0);
  const written = JSON.parse(readFileSync(path.join(ws, 'greenlens-baseline.json'), 'utf8')) as {
    assumptions: { hardware: string; inferencesPerDay: number };
  };
  assert.equal(written.assumptions.inferencesPerDay, 5000);
  assert.match(written.assumptions.hardware, /3090/);
  // Twice the workload is twice the yearly energy: a regression, with the changed assumption named.
  const r = await check(ws, '--inferences-per-day', '10000');
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /yearly energy rose \+100 %/);
  assert.match(r.out, /inferencesPerDay: 5000 → 10000/);
});

void test('analyze skips the paths the repository configuration excludes', async () => {
  const ws = workspace('exclude', { 'greenlens.json': '{"exclude": ["experiments/**"]}' });
  mkdirSync(path.join(ws, 'experiments'));
  writeFileSync(path.join(ws, 'experiments', 'big.py'), 'import torchvision\nm = torchvision.models.vit_h_14()\n');
  const out: string[] = [];
  const code = await main(['analyze', ws, '--format', 'json'], {
    out: (t) => out.push(t),
    err: () => undefined,
    isTTY: false,
    cwd: ws,
  });
  assert.equal(code, 0);
  const files = (JSON.parse(out.join('\n')) as { files: Array<{ file: string }> }).files.map((f) => f.file);
  assert.deepEqual(files, ['app.py']);
});

void test('an ONNX file is in the baseline by its path, with its MACs and energy; a new small one does not fail', async () => {
  const ws = workspace('onnx', { 'greenlens.json': '{"hardware": {"profile": "RTX 3090"}}' });
  assert.equal((await check(ws, '--update')).code, 0);
  mkdirSync(path.join(ws, 'models'));
  copyFileSync(
    path.join(__dirname, '..', '..', 'examples', 'models', 'fashion_mlp.onnx'),
    path.join(ws, 'models', 'mlp.onnx'),
  );
  const r = await check(ws, '--format', 'json');
  assert.equal(r.code, 0, r.out);
  const item = (
    JSON.parse(r.out) as { items: Array<{ id: string; status: string; new?: { unit: string } }> }
  ).items.find((i) => i.id === 'onnx:models/mlp.onnx');
  assert.equal(item?.status, 'new');
  assert.equal(item?.new?.unit, 'J');
});

void test('a version 1 baseline (no measured profiles) is still read; a measured profile without its provenance is refused', async () => {
  const { parseBaseline } = await import('../../src/cli/check/parse');
  const v1 = {
    schemaVersion: 1,
    assumptions: { hardware: 'RTX 3090', inferencesPerDay: 1 },
    models: [{ id: 'onnx:m.onnx', kind: 'onnx', file: 'm.onnx', name: 'm' }],
    training: [],
    findings: [],
  };
  assert.equal(parseBaseline(JSON.stringify(v1), 'b.json').models.length, 1);
  const figure = { value: 1, low: 1, high: 1, unit: 'J', provenance: 'measured' };
  const bad = {
    ...v1,
    schemaVersion: 2,
    models: [
      {
        ...v1.models[0],
        measured: {
          energyPerInference: figure,
          latencyMs: { ...figure, unit: 'ms' },
          meter: 'rapl',
          machine: 'laptop',
        },
      },
    ],
  };
  assert.throws(
    () => parseBaseline(JSON.stringify(bad), 'b.json'),
    /b\.json: models\[0\]\.measured must hold .* machineId, measuredAt and modelSha256/,
  );
});
