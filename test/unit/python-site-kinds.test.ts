import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzePython } from '../../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { staticParams } from '../../src/analyzers/python/userModels';
import { PythonWorkspaceIndex, type IndexFs } from '../../src/analyzers/python/workspaceIndex';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { siteLensTitle, siteLensTooltip } from '../../src/vscode/python/format';
import { describeSite } from '../../src/vscode/python/model';

before(async () => {
  await loadPythonGrammar();
});

/** `line kind framework modelId confidence` of every site (1-based lines), definitions included. */
function sites(src: string, opts: Parameters<typeof analyzePython>[1] = {}): string[] {
  return analyzePython(src, opts).sites.map(
    (s) => `${s.range.start.line + 1} ${s.kind} ${s.framework} ${s.modelId ?? '-'} ${s.confidence ?? '-'}`,
  );
}

const TORCH = 'import torch\nimport torch.nn as nn\n';
const NET = `${TORCH}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n`;

/** Each case: a source and the sites it must give (and nothing else): positives and look-alikes side by side. */
const CASES: { name: string; src: string; want: string[] }[] = [
  {
    name: 'own model: definition, then the instance',
    src: `${NET}net = Net().to("cuda")\n`,
    want: ['3 define torch Net high', '7 create torch Net high'],
  },
  {
    name: 'layers and sub-modules in a constructor are parts',
    src: `${NET}class Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = Net()\n        self.b = nn.Sequential(nn.Linear(4, 4))\nm = Big()\n`,
    want: ['3 define torch Net high', '7 define torch Big high', '12 create torch Big high'],
  },
  {
    name: 'subclass of a subclass',
    src: `${NET}class Deeper(Net):\n    pass\nd = Deeper()\n`,
    want: ['3 define torch Net high', '7 define torch Deeper high', '9 create torch Deeper high'],
  },
  {
    name: 'a module without weights is not a model',
    src: `${TORCH}class Matcher(nn.Module):\n    def forward(self, a, b):\n        return torch.cdist(a, b)\nm = Matcher()\n`,
    want: ['3 define torch Matcher high'],
  },
  {
    name: 'a layer subclass is a layer',
    src: `${TORCH}class Lin(nn.Linear):\n    pass\nlayer = Lin(4, 4)\n`,
    want: [],
  },
  {
    name: 'a factory method builds a whole model',
    src: `${NET}    @classmethod\n    def make(cls):\n        model = Net()\n        return model\n`,
    want: ['3 define torch Net high', '9 create torch Net high'],
  },
  {
    name: 'bare Sequential and Linear used as the model',
    src: `${TORCH}model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))\nhead = nn.Linear(512, 10)\n`,
    want: ['3 create torch Sequential high', '4 create torch Linear high'],
  },
  {
    name: 'Lightning module and load_from_checkpoint',
    src: 'import lightning as L\nimport torch\nclass Lit(L.LightningModule):\n    def __init__(self):\n        super().__init__()\n        self.l = torch.nn.Linear(2, 2)\nm = Lit.load_from_checkpoint("a.ckpt")\nn = Lit()\n',
    want: ['3 define torch Lit high', '7 load torch Lit high', '8 create torch Lit high'],
  },
  {
    name: 'Keras containers, applications through a variable, loaders',
    src: 'import tensorflow as tf\nfrom tensorflow import keras\nfrom keras import layers\nbase = keras.applications.EfficientNetB0\nnet = base(weights="imagenet")\nseq = keras.Sequential([layers.Dense(4)])\ninputs = keras.Input((3,))\nout = layers.Dense(1)(inputs)\nfn = keras.Model(inputs, out)\nre = tf.keras.models.load_model("m.keras")\nsm = tf.saved_model.load("dir")\n',
    want: [
      '5 create keras EfficientNetB0 high',
      '6 create keras Sequential high',
      '9 create keras Model high',
      '10 load keras m high',
      '11 load keras dir high',
    ],
  },
  {
    name: 'a Keras container inside a Keras model constructor is a part',
    src: 'import keras\nclass M(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.body = keras.Sequential([keras.layers.Dense(3)])\nm = M()\n',
    want: ['2 define keras M high', '6 create keras M high'],
  },
  {
    name: 'diffusers models, config builds, EMA and pipelines; schedulers are not models',
    src: 'from diffusers import UNet2DModel, DDPMPipeline, DDPMScheduler, AutoencoderKL\nfrom diffusers.training_utils import EMAModel\nunet = UNet2DModel(sample_size=64)\nu2 = UNet2DModel.from_config(unet.config)\nvae = AutoencoderKL.from_pretrained("stabilityai/sd-vae-ft-mse")\nema = EMAModel(unet.parameters())\nsched = DDPMScheduler(num_train_timesteps=1000)\ns2 = DDPMScheduler.from_config(sched.config)\npipe = DDPMPipeline(unet=unet, scheduler=sched)\n',
    want: [
      '3 create diffusers UNet2DModel high',
      '4 create diffusers UNet2DModel high',
      '5 load diffusers stabilityai/sd-vae-ft-mse high',
      '6 create diffusers EMAModel high',
      '9 pipeline diffusers DDPMPipeline high',
    ],
  },
  {
    name: 'sentence-transformers bi- and cross-encoders',
    src: 'from sentence_transformers import SentenceTransformer\nfrom sentence_transformers.cross_encoder import CrossEncoder\na = SentenceTransformer("all-MiniLM-L6-v2")\nb = CrossEncoder("cross-encoder/ms-marco-MiniLM-L6-v2")\n',
    want: [
      '3 load sentence-transformers all-MiniLM-L6-v2 high',
      '4 load sentence-transformers cross-encoder/ms-marco-MiniLM-L6-v2 high',
    ],
  },
  {
    name: 'torchvision detection, segmentation, backbone helpers and sub-module paths',
    src: 'import torchvision\nfrom torchvision.models.detection import fasterrcnn_resnet50_fpn\nfrom torchvision.models.detection.backbone_utils import resnet_fpn_backbone\nfrom torchvision.models.segmentation import deeplabv3_resnet50\nd = fasterrcnn_resnet50_fpn(weights="DEFAULT")\nb = resnet_fpn_backbone(backbone_name="resnet50", weights=None)\ns = deeplabv3_resnet50()\nr = torchvision.models.resnet.resnet18()\n',
    want: [
      '5 create torchvision fasterrcnn_resnet50_fpn high',
      '6 create torchvision resnet50 high',
      '7 create torchvision deeplabv3_resnet50 high',
      '8 create torchvision resnet18 high',
    ],
  },
  {
    name: 'Hugging Face model classes; tokenizers, configs and collators are not models',
    src: 'from transformers import AutoModelForCausalLM, AutoTokenizer, AutoConfig, GPT2LMHeadModel, AutoModel, DataCollatorForLanguageModeling\nm = AutoModelForCausalLM.from_pretrained("gpt2")\nt = AutoTokenizer.from_pretrained("gpt2")\nc = AutoConfig.from_pretrained("gpt2")\ng = GPT2LMHeadModel(c)\nx = AutoModel.from_config(c)\ncol = DataCollatorForLanguageModeling(t, mlm=False)\n',
    want: [
      '2 load transformers gpt2 high',
      '5 create transformers GPT2LMHeadModel high',
      '6 create transformers AutoModel high',
    ],
  },
  {
    name: 'timm, ultralytics, TorchScript, hub models but not hub helpers, onnxruntime',
    src: 'import timm\nimport torch\nimport onnxruntime as ort\nfrom ultralytics import YOLO\na = timm.create_model("resnet50")\nb = YOLO("yolov8n.pt")\nc = torch.jit.load("m.pt")\nd = torch.hub.load("pytorch/vision", "resnet18")\nw = torch.hub.load("repo/x", "get_weight")\ne = ort.InferenceSession("m.onnx")\n',
    want: [
      '5 create timm resnet50 high',
      '6 load ultralytics yolov8n high',
      '7 load torch m high',
      '8 load torch.hub resnet18 high',
      '10 load onnxruntime m high',
    ],
  },
  {
    name: 'torch.load: checkpoints are not models, a used model is, an unclear one is low confidence',
    src: `${NET}ckpt = torch.load("a.pth")\nnet = Net()\nnet.load_state_dict(ckpt["state_dict"])\nnet.load_state_dict(torch.load("b.pth"))\nsd = torch.load("c.pth")\nmodel = torch.load("d.pt")\nmodel.eval()\nencoder = torch.load("e.pt")\n`,
    want: ['3 define torch Net high', '8 create torch Net high', '12 load torch d high', '14 load torch e low'],
  },
  {
    name: 'an unknown class used as a model is a medium-confidence site; metrics and wrappers are not',
    src: 'import torch\nfrom mylib import Fancy, get_wrapped\nfrom torchmetrics import Accuracy\nm = Fancy(3).to("cuda")\nacc = Accuracy(task="binary").to("cuda")\nm = get_wrapped(m, 2)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\n',
    want: ['4 create torch Fancy medium'],
  },
  {
    name: 'an argument of a model is a model, also through a local factory',
    src: 'import torch\nfrom lib import Encoder, Head, Classifier\ndef make():\n    enc = Encoder()\n    return Classifier(enc, Head())\nmodel = make()\nmodel.load_state_dict(torch.load("w.pt"))\n',
    want: ['4 create torch Encoder medium', '5 create torch Classifier medium'],
  },
];

for (const c of CASES) {
  void test(`site kinds: ${c.name}`, () => {
    // Usage-based sites are found in rounds, so compare in document order.
    assert.deepEqual(
      sites(c.src).sort((a, b) => parseInt(a) - parseInt(b)),
      c.want,
    );
  });
}

void test('static parameter counts from literal layer sizes; unknown sizes give none', () => {
  const cases: [string, number | undefined][] = [
    ['nn.Linear(784, 128)', 784 * 128 + 128],
    ['nn.Linear(784, 128, bias=False)', 784 * 128],
    ['nn.Conv2d(3, 16, 3)', 3 * 16 * 9 + 16],
    ['nn.Conv2d(16, 16, 3, groups=4)', 4 * 16 * 9 + 16],
    ['nn.Embedding(1000, 64)', 64_000],
    ['nn.LayerNorm(64)', 128],
    ['nn.BatchNorm2d(16)', 32],
    ['nn.GroupNorm(4, 32)', 64],
    ['nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Dropout(0.1), nn.Linear(20, 2))', 220 + 42],
    ['nn.Linear(hidden, 10)', undefined],
    ['nn.LSTM(10, 20)', undefined],
    ['[nn.Linear(4, 4) for _ in range(3)]', undefined],
  ];
  for (const [text, want] of cases) assert.equal(staticParams(text), want, text);
  const a = analyzePython(`${NET}net = Net()\nseq = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 2))\n`);
  assert.deepEqual(
    a.sites.map((s) => s.params),
    [7850, 7850, 262],
  );
});

void test('sites carry a confidence, and class definitions are kind "define" (what the JSON output shows)', () => {
  const a = analyzePython(`${NET}net = Net()\n`);
  const json = JSON.parse(JSON.stringify(a.sites)) as { kind: string; confidence: string }[];
  assert.deepEqual(
    json.map((s) => [s.kind, s.confidence]),
    [
      ['define', 'high'],
      ['create', 'high'],
    ],
  );
});

void test('a training-loop diagnostic underlines the loop header, not its body', () => {
  const src = `${NET}model = Net()\nfor epoch in range(50):\n    for x, y in data:\n        loss = model(x).sum()\n        loss.backward()\n`;
  const f = analyzePython(src).findings.find((x) => x.ruleId === 'GL011');
  assert.ok(f, 'GL011 fires on a 50-epoch loop without early stopping');
  assert.deepEqual(
    [f.range.start.line, f.range.end.line, f.range.end.character],
    [7, 7, 'for epoch in range(50):'.length],
  );
});

void test('cross-file: imported model classes, packages, relative imports and bases in other files resolve', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gl-ws-'));
  try {
    mkdirSync(path.join(dir, 'pkg'));
    writeFileSync(
      path.join(dir, 'models.py'),
      `${TORCH}class Base(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\ndef build():\n    return Base()\n`,
    );
    writeFileSync(path.join(dir, 'pkg', '__init__.py'), 'from .gen import Generator\n');
    writeFileSync(path.join(dir, 'pkg', 'gen.py'), 'from models import Base\nclass Generator(Base):\n    pass\n');
    writeFileSync(path.join(dir, 'pkg', 'rel.py'), 'from .gen import Generator\ng = Generator()\n');
    const main = path.join(dir, 'main.py');
    const src =
      'import torch\nfrom models import Base, build\nfrom pkg import Generator\nfrom helpers import Unknown\nb = Base()\ng = Generator()\nx = build()\nu = Unknown()\n';
    const index = new PythonWorkspaceIndex(dir);
    assert.deepEqual(sites(src, { file: main, workspace: index }), [
      '5 create torch Base high',
      '6 create torch Generator high',
    ]);
    assert.deepEqual(sites(src), [], 'without the workspace, nothing says these are models');
    const rel = path.join(dir, 'pkg', 'rel.py');
    assert.deepEqual(
      sites('import torch\nfrom .gen import Generator\ng = Generator()\n', { file: rel, workspace: index }),
      ['3 create torch Generator high'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('cross-file: a module is parsed once per version, not on every analysis', () => {
  const files = new Map<string, { text: string; mtimeMs: number }>([['/ws/models.py', { text: `${NET}`, mtimeMs: 1 }]]);
  const fs: IndexFs = {
    stat: (f) => {
      const e = files.get(f);
      return e ? { mtimeMs: e.mtimeMs, size: e.text.length, isFile: true } : undefined;
    },
    read: (f) => files.get(f)?.text ?? '',
  };
  const index = new PythonWorkspaceIndex('/ws', fs, 0);
  const src = 'import torch\nfrom models import Net\nnet = Net()\n';
  for (let i = 0; i < 20; i++)
    assert.deepEqual(sites(src, { file: '/ws/main.py', workspace: index }), ['3 create torch Net high']);
  assert.equal(index.parses, 1);
  files.set('/ws/models.py', { text: `${TORCH}class Net(nn.Module):\n    pass\n`, mtimeMs: 2 });
  assert.deepEqual(
    sites(src, { file: '/ws/main.py', workspace: index }),
    [],
    'the edited class has no weights any more',
  );
  assert.equal(index.parses, 2);
});

void test('the lens of an own model not in the catalog shows its counted parameters; a low-confidence load says so', () => {
  const [, net] = analyzePython(`${NET}net = Net()\n`).sites;
  assert.ok(net);
  assert.equal(siteLensTitle(describeSite(net, DEFAULT_SETTINGS)), 'Net · 7,850 params · not in catalog');
  const [enc] = analyzePython('import torch\nencoder = torch.load("e.pt")\n').sites;
  assert.ok(enc);
  assert.match(siteLensTitle(describeSite(enc, DEFAULT_SETTINGS)), / · checkpoint\?$/);
  assert.match(siteLensTooltip(describeSite(enc, DEFAULT_SETTINGS)), /may load a checkpoint rather than a model/);
  assert.match(siteLensTooltip(describeSite(net, DEFAULT_SETTINGS)), /7,850 params, counted from the layer sizes/);
});

void test('the byte prefilter never changes a result on the real-world corpus (every detection path has its trigger)', () => {
  const root = path.join(__dirname, '..', 'fixtures', 'real-world');
  const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as { files: { file: string }[] };
  for (const { file } of manifest.files) {
    const src = readFileSync(path.join(root, file), 'utf8');
    const a = analyzePython(src);
    const b = analyzePython(src, { prefilter: false });
    assert.deepEqual({ ...a, skipped: undefined }, { ...b, skipped: undefined }, file);
  }
});
