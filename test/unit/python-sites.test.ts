import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');
const read = (f: string): string => readFileSync(path.join(FIXTURES, f), 'utf8');

before(async () => {
  await loadPythonGrammar();
});

/** Expected sites per fixture: `line framework kind modelId` with 1-based lines. */
const SITES: Record<string, string[]> = {
  'torchvision_infer.py': [
    '7 torchvision create resnet50',
    '8 torchvision create vgg16',
    '9 torchvision create mobilenet_v3_small',
    '11 torchvision create -',
  ],
  'hub_models.py': [
    '9 timm create vit_base_patch16_224',
    '10 timm create convnext_tiny',
    '11 transformers load google/vit-base-patch16-224',
    '13 transformers load bert-base-uncased',
    '14 transformers pipeline distilbert-base-uncased-finetuned-sst-2-english',
    '15 sentence-transformers load all-MiniLM-L6-v2',
    '16 diffusers load runwayml/stable-diffusion-v1-5',
  ],
  'other_frameworks.py': [
    '7 keras create MobileNetV2',
    '8 keras create ResNet50',
    '9 torch.hub load resnet18',
    '10 ultralytics load yolov8n',
    '11 onnxruntime load resnet18',
    '13 torch load model_scripted',
  ],
  'training.py': ['10 torch define MLP', '21 torch define DeeperMLP', '25 torch create MLP'],
  'cpu_inference.py': ['5 torch define TextHead', '15 torch create TextHead'],
  'clean.py': ['5 torchvision create resnet18'],
  'negatives.py': [],
};

for (const [file, expected] of Object.entries(SITES)) {
  void test(`sites of ${file}`, () => {
    const r = analyzePython(read(file));
    const got = r.sites.map((s) => `${s.range.start.line + 1} ${s.framework} ${s.kind} ${s.modelId ?? '-'}`);
    assert.deepEqual(got, expected);
    assert.equal(r.parseErrors, undefined);
  });
}

void test('every fixture is listed in the table', () => {
  const listed = new Set(Object.keys(SITES));
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.py')))
    assert.ok(listed.has(f), `${f} has no expectations`);
});

void test('statically known arguments, pretrained flags, paths and bindings', () => {
  const tv = analyzePython(read('torchvision_infer.py')).sites;
  assert.equal(tv[0]?.pretrained, true);
  assert.deepEqual(tv[0]?.boundTo, ['model']);
  assert.equal(tv[0]?.context.device, 'cuda');
  assert.deepEqual(tv[1]?.args, { pretrained: true });
  assert.deepEqual(tv[3]?.args.arch, { expr: 'arch' });
  const hub = analyzePython(read('hub_models.py')).sites;
  assert.equal(hub[1]?.pretrained, false);
  assert.equal(hub[6]?.context.dtype, 'float16');
  const other = analyzePython(read('other_frameworks.py')).sites;
  assert.equal(other[1]?.pretrained, false);
  assert.equal(other[4]?.path, 'models/resnet18.onnx');
  assert.equal(other[5]?.path, 'model_scripted.pt');
  assert.equal(other[3]?.path, 'weights/yolov8n.pt');
});

void test('training loops: epochs, batch size, early stopping and checkpoints', () => {
  const loops = analyzePython(read('training.py')).trainingLoops;
  assert.equal(loops.length, 1);
  assert.deepEqual(
    {
      line: loops[0]?.range.start.line,
      epochs: loops[0]?.epochs,
      batch: loops[0]?.batchSize,
      site: loops[0]?.site,
      es: loops[0]?.hasEarlyStopping,
    },
    { line: 28, epochs: 50, batch: 128, site: 2, es: false },
  );
  const fits = analyzePython(read('other_frameworks.py')).trainingLoops.map((l) => [
    l.kind,
    l.epochs,
    l.hasEarlyStopping,
    l.hasCheckpoint,
  ]);
  assert.deepEqual(fits, [
    ['fit', 30, false, false],
    ['fit', 5, true, false],
    ['fit', 100, true, true],
  ]);
});

void test('inference calls: no_grad, loops and per-sample calls', () => {
  const calls = analyzePython(read('torchvision_infer.py')).inferenceCalls.map((c) => [
    c.receiver,
    c.inNoGrad,
    c.inLoop,
    c.perSample,
  ]);
  assert.deepEqual(calls, [
    ['model', false, false, false],
    ['legacy', false, true, true],
  ]);
  const hub = analyzePython(read('hub_models.py')).inferenceCalls.map((c) => [c.receiver, c.method, c.inNoGrad]);
  assert.deepEqual(hub, [
    ['sentiment', 'call', false],
    ['embedder', 'encode', false],
    ['bert', 'call', true],
  ]);
  // The forward pass inside the training loop is training, not inference.
  assert.deepEqual(
    analyzePython(read('training.py')).inferenceCalls.map((c) => c.range.start.line + 1),
    [39],
  );
});

void test('negatives: look-alikes, names in strings and comments, an unrelated .fit', () => {
  const r = analyzePython(read('negatives.py'));
  assert.deepEqual([r.sites.length, r.trainingLoops.length, r.inferenceCalls.length, r.findings.length], [0, 0, 0, 0]);
});

void test('alias forms resolve: import as, from-import as, star import', () => {
  const src =
    'import torchvision.models as tvm\nfrom torchvision.models import *\nfrom torch.nn import Module as M, Linear\nclass A(M):\n    def __init__(self):\n        self.fc = Linear(4, 2)\nm = tvm.resnet18()\nn = efficientnet_b0()\na = A()\n';
  const got = analyzePython(src).sites.map((s) => `${s.framework}:${s.modelId}:${s.kind}`);
  assert.deepEqual(got, [
    'torch:A:define',
    'torchvision:resnet18:create',
    'torchvision:efficientnet_b0:create',
    'torch:A:create',
  ]);
});

void test('the byte prefilter never changes a result', () => {
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.py'))) {
    const a = analyzePython(read(f));
    const b = analyzePython(read(f), { prefilter: false });
    assert.deepEqual({ ...a, skipped: undefined }, { ...b, skipped: undefined }, f);
  }
  assert.equal(analyzePython('import os\nprint("resnet50")\n').skipped, true);
});

void test('the byte prefilter lets through training loops of files that import no known framework', () => {
  const sources = [
    'from mylib import make_model, opt\nmodel = make_model()\nfor epoch in range(100):\n    for x, y in data:\n        loss = model(x)\n        loss.backward()\n        opt.step()\n',
    'import jax\nfor step in range(10000):\n    grads = loss_fn(params)\n    optimizer.step()\n',
    'def fit(net, data):\n    for epoch in range(50):\n        for batch in data:\n            net.update(batch)\n',
  ];
  for (const src of sources) {
    const full = analyzePython(src, { prefilter: false });
    assert.ok(full.trainingLoops.length > 0, `a full analysis finds the loop of:\n${src}`);
    assert.deepEqual({ ...analyzePython(src), skipped: undefined }, { ...full, skipped: undefined }, src);
  }
});
