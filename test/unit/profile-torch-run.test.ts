/**
 * The PyTorch profiler against Debian's python3-torch (1.13) and python3-torchvision (0.14) in
 * /usr/bin/python3: the Linear-heavy example gets a result or an explicit "unavailable" for every tactic;
 * the Fashion-MNIST MLP, trained on real data, reports true accuracy that matches the ONNX profiler's on
 * the same weights; and bad input ends with a clear error and no process left behind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzePythonFiles } from '../../src/analyzers/python/index';
import { profileModel } from '../../src/profiler/index';
import {
  pickSite,
  profileTorch,
  TorchProfileError,
  torchSiteOf,
  type TorchProfileOptions,
  type TorchSite,
} from '../../src/profiler/torch/index';
import { tempDir } from './helpers/tempDir';

const ROOT = path.join(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const STORE = tempDir('gl-torch-');

/** The 1-based line of `model = Tiny()` in a generated user file. */
function modelLine(file: string): number {
  return readFileSync(file, 'utf8').split('\n').indexOf('model = Tiny()') + 1;
}

async function siteAt(file: string, line: number = modelLine(file)): Promise<TorchSite> {
  const [fa] = await analyzePythonFiles([file], { workers: 1 });
  const sites = fa!.analysis!.sites;
  const picked = pickSite(sites, line);
  assert.ok('index' in picked, JSON.stringify(picked));
  return torchSiteOf(sites[picked.index]!, file);
}

function userFile(name: string, body: string): string {
  const dir = tempDir('gl-user-');
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

const TINY = (forward: string, top = '') =>
  `import torch\nfrom torch import nn\n${top}\nclass Tiny(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4)\n\n    def forward(self, x):\n${forward}\n\nmodel = Tiny()\n`;

async function expectError(
  opts: Partial<TorchProfileOptions> & { site: TorchSite },
  code: string,
  message: RegExp,
): Promise<TorchProfileError> {
  const err = await profileTorch({
    python: PYTHON,
    storageDir: STORE,
    budgetMs: 3000,
    variants: 'int8-dynamic',
    ...opts,
  }).then(
    () => assert.fail('the run should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TorchProfileError, String(err));
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return err;
}

/** Processes whose command line mentions `needle` (the harness script path is unique per test). */
function processesWith(needle: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) ? [pid] : [];
      } catch {
        return [];
      }
    });
}

void test('the Linear-heavy example: a result or an explicit "unavailable" for every tactic, agreement of the quantized model', async () => {
  const site = await siteAt(path.join(ROOT, 'examples', 'linear_heavy.py'), 27);
  const res = await profileTorch({ site, python: PYTHON, storageDir: STORE, budgetMs: 12_000 });
  const by = new Map(res.variants.map((v) => [v.id, v]));
  assert.deepEqual(
    [...by.keys()],
    ['baseline', 'int8-dynamic', 'torch-compile', 'prune-local:0.5', 'prune-global:0.5', 'fp16', 'bf16'],
  );
  for (const v of res.variants) {
    assert.ok(
      v.status === 'measured' || (v.status === 'not-applicable' && (v.reason ?? '').length > 10),
      `${v.id}: ${v.status} ${v.reason}`,
    );
    if (v.status === 'measured') {
      assert.ok(v.metrics!.p50Ms > 0 && v.metrics!.cpuMsPerRun > 0 && v.metrics!.repetitions >= 6, v.id);
      assert.ok(
        v.energy && v.energy.perInference.value > 0 && v.energy.meter,
        `${v.id} has an energy reading that names its meter`,
      );
    }
  }
  // torch 1.13 has no torch.compile; the reason says so instead of a figure.
  if (!res.environment.compile) assert.match(by.get('torch-compile')!.reason!, /no torch\.compile/);
  const q = by.get('int8-dynamic')!;
  assert.equal(q.status, 'measured');
  assert.ok(
    q.accuracy && q.accuracy.top1Agreement !== undefined && q.accuracy.cosineSimilarity > 0.99,
    JSON.stringify(q.accuracy),
  );
  assert.ok(
    q.metrics!.fileBytes < by.get('baseline')!.metrics!.fileBytes / 3,
    'the int8 state_dict is about a quarter of the fp32 one',
  );
  assert.ok(by.get('prune-global:0.5')!.metrics!.buildMs > 0, 'the pruning time itself is reported');
  assert.equal(res.model.weights, 'user-code');
  assert.equal(res.environment.executable, PYTHON);
});

void test('real accuracy: the Fashion-MNIST MLP on its labelled test images, baseline and int8, equal to the ONNX profiler on the same weights', async () => {
  const dataset = path.join(ROOT, 'examples', 'data', 'fashion-mnist-test');
  const site = await siteAt(path.join(ROOT, 'examples', 'fashion_mlp.py'), 26);
  const res = await profileTorch({
    site,
    python: PYTHON,
    storageDir: STORE,
    budgetMs: 8000,
    variants: 'int8-dynamic',
    datasetDir: dataset,
  });
  const [base, q] = res.variants;
  assert.equal(res.inputs.source, 'dataset');
  assert.equal(base!.accuracy?.samples, 1000);
  assert.ok(
    base!.accuracy?.accuracy !== undefined &&
      q!.accuracy?.accuracy !== undefined &&
      q!.accuracy.baselineAccuracy === base!.accuracy.accuracy,
  );
  assert.ok(
    Math.abs(q!.accuracy.accuracy - base!.accuracy.accuracy) <= 0.01,
    `int8 ${q!.accuracy.accuracy} vs fp32 ${base!.accuracy.accuracy}`,
  );
  // The same trained weights in ONNX (same training run) classify the same images the same way.
  const onnx = await profileModel({
    modelPath: path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx'),
    storageDir: STORE,
    variants: '',
    inputs: { datasetDir: dataset },
    budgetMs: 1500,
  });
  assert.equal(base!.accuracy.accuracy, onnx.variants[0]!.accuracy?.accuracy);
});

void test('an interpreter without torch: a clear error with the version found', async () => {
  const wrapper = path.join(tempDir('gl-py-'), 'python-without-torch');
  // -S leaves out site-packages, where Debian's torch lives: the same Python, without torch.
  writeFileSync(wrapper, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
  chmodSync(wrapper, 0o755);
  const site = await siteAt(path.join(ROOT, 'examples', 'linear_heavy.py'), 27);
  const err = await expectError(
    { site, python: wrapper },
    'no-torch',
    /PyTorch cannot be imported by Python 3\.\d+.*No module named 'torch'/,
  );
  assert.equal(err.details.environment, undefined);
  await expectError(
    { site, python: path.join(tmpdir(), 'no-such-python') },
    'no-python',
    /was not found.*greenlens\.pythonPath/,
  );
});

void test('a file whose import fails, a model that raises: clear errors, the user file untouched and no __pycache__ written', async () => {
  const broken = userFile('broken.py', TINY('        return self.fc(x)', 'import not_a_module_anywhere'));
  const before = readFileSync(broken);
  await expectError(
    { site: await siteAt(broken) },
    'import-failed',
    /importing .*broken\.py failed: ModuleNotFoundError: No module named 'not_a_module_anywhere'/,
  );
  assert.deepEqual(readFileSync(broken), before);
  const raises = userFile('raises.py', TINY('        raise ValueError("shape mismatch in my model")'));
  const err = await expectError(
    { site: await siteAt(raises) },
    'baseline-failed',
    /the model as built failed to run: ValueError: shape mismatch in my model/,
  );
  assert.match(err.details.stderrTail ?? '', /Traceback/);
  assert.deepEqual(readdirSync(path.dirname(raises)), ['raises.py']);
});

/** Resolves once `file` exists: the hanging harness writes it when it has started its grandchild. */
async function whenWritten(file: string, signal: AbortSignal): Promise<number> {
  const t0 = Date.now();
  while (!existsSync(file)) {
    signal.throwIfAborted();
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

/** Whether the process is gone (a zombie waiting for its parent counts as gone). */
function gone(pid: number): boolean {
  return !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

void test('a harness that hangs is stopped at the timeout with every process it started; a cancel does the same', async () => {
  const dir = tempDir('gl-hang-');
  const marker = path.join(dir, 'child.pid');
  const hang = userFile(
    'hang.py',
    TINY(
      '        return self.fc(x)',
      `import os, subprocess, time\nchild = subprocess.Popen(["sleep", "300"])\nopen(os.path.join(${JSON.stringify(dir)}, "child.pid"), "w").write(str(child.pid))\ntime.sleep(300)`,
    ),
  );
  const site = await siteAt(hang);
  // The cancel comes once the harness has started its grandchild, however long importing torch takes here.
  const controller = new AbortController();
  const started = whenWritten(marker, AbortSignal.timeout(600_000)).then((ms) => (controller.abort(), ms));
  const cancelled = await expectError({ site, signal: controller.signal }, 'cancelled', /cancelled/);
  const startMs = await started;
  const first = Number(readFileSync(marker, 'utf8'));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(gone(first), 'the grandchild was killed with the cancelled harness');
  assert.deepEqual(processesWith(path.basename(cancelled.details.scriptPath!)), []);
  // The timeout leaves the harness ample time to reach its hang on this machine, as the cancelled run did.
  rmSync(marker);
  const timeoutMs = Math.ceil((3 * startMs + 3000) / 1000) * 1000;
  const t0 = Date.now();
  const err = await expectError(
    { site, timeoutMs },
    'timeout',
    new RegExp(`did not finish within ${timeoutMs / 1000} s and was stopped with every process it started`),
  );
  assert.ok(Date.now() - t0 < timeoutMs + 10_000, 'stopped soon after the timeout');
  const second = Number(readFileSync(marker, 'utf8'));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(gone(second), 'the grandchild was killed too');
  assert.deepEqual(processesWith(path.basename(err.details.scriptPath!)), []);
});

void test('the generated script is the one that ran, and runs on its own', async () => {
  const site = await siteAt(path.join(ROOT, 'examples', 'linear_heavy.py'), 27);
  const res = await profileTorch({
    site,
    python: PYTHON,
    storageDir: STORE,
    budgetMs: 3000,
    variants: 'prune-local:0.2',
  });
  const out = execFileSync(PYTHON, [res.scriptPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    cwd: tmpdir(),
  });
  const types = out
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { type: string }).type);
  assert.equal(types[0], 'hello');
  assert.equal(types.at(-1), 'done');
  assert.equal(types.filter((t) => t === 'variant').length, 2);
});

void test('timm and Hugging Face sites, against stand-in packages with the same calls: local weights only, random weights said, no download', async () => {
  // timm and transformers are not Debian packages; these stand-ins implement just the calls the harness makes.
  const lib = tempDir('gl-fakelib-');
  for (const [name, body] of Object.entries({
    timm: 'import torch\ndef create_model(name, pretrained=False, **kw):\n    if pretrained:\n        raise RuntimeError("not in the cache")\n    m = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(8, 5))\n    m.pretrained_cfg = {"input_size": (3, 64, 64)}\n    return m\n',
    transformers:
      'import torch\nclass Config:\n    vocab_size = 100\n    max_position_embeddings = 16\nclass AutoConfig:\n    @staticmethod\n    def from_pretrained(name, local_files_only=False):\n        assert local_files_only\n        if name != "cached/config":\n            raise OSError("not in the cache")\n        return Config()\nclass Tiny(torch.nn.Module):\n    def __init__(self, config):\n        super().__init__()\n        self.config = config\n        self.emb = torch.nn.Embedding(config.vocab_size, 32)\n        self.head = torch.nn.Linear(32, 3)\n    def forward(self, input_ids):\n        return {"logits": self.head(self.emb(input_ids).mean(1))}\nclass AutoModel:\n    @staticmethod\n    def from_pretrained(name, local_files_only=False):\n        raise OSError("weights not in the cache")\n    @staticmethod\n    def from_config(config):\n        return Tiny(config)\n',
  })) {
    mkdirSync(path.join(lib, name));
    writeFileSync(path.join(lib, name, '__init__.py'), body);
  }
  const file = userFile(
    'sites.py',
    'import timm\nfrom transformers import AutoModel\na = timm.create_model("convnext_tiny", pretrained=True)\nb = AutoModel.from_pretrained("cached/config")\nc = AutoModel.from_pretrained("not/cached")\n',
  );
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = lib;
  try {
    const timm = await profileTorch({
      site: await siteAt(file, 3),
      python: PYTHON,
      storageDir: STORE,
      budgetMs: 3000,
      variants: 'int8-dynamic',
    });
    assert.deepEqual([timm.model.weights, timm.model.inputShape], ['random', [1, 3, 64, 64]]);
    assert.match(timm.model.notes.join(' '), /pretrained weights of convnext_tiny are not in the local cache/);
    const hf = await profileTorch({
      site: await siteAt(file, 4),
      python: PYTHON,
      storageDir: STORE,
      budgetMs: 3000,
      variants: 'int8-dynamic',
    });
    assert.deepEqual([hf.model.weights, hf.model.inputDtype, hf.model.inputShape], ['random', 'int64', [1, 16]]);
    assert.equal(hf.variants[1]!.accuracy?.output, 'logits');
    await expectError(
      { site: await siteAt(file, 5) },
      'needs-download',
      /not\/cached is not in the local Hugging Face cache .*does not download/,
    );
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
});
