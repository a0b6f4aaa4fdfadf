/** The one gatherer of report inputs that the CLI and the editor both call. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runReportPipeline } from '../../src/cli/pipeline';
import type { DetectedHardware } from '../../src/energy/detect';
import { nodeFileReader, type FileReader } from '../../src/fileAccess';
import type { ProfileResult } from '../../src/profiler/types';
import { gatherReportInputs, PythonInputCache, type GatherOptions } from '../../src/report/gather';
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings } from '../../src/settings';
import { tempDir } from './helpers/tempDir';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const MACHINE: DetectedHardware = {
  cpu: { model: 'Intel(R) Core(TM) i7-12700H', logicalCores: 20 },
  gpus: [],
  notes: [],
};

/** A folder with a model site (GL001 and others), a file without one, and an unreadable ONNX file. */
function workspace(): string {
  const dir = tempDir('gl-gather-');
  copyFileSync(path.join(EXAMPLES, 'infer_resnet.py'), path.join(dir, 'infer.py'));
  writeFileSync(path.join(dir, 'util.py'), 'def add(a, b):\n    return a + b\n');
  writeFileSync(path.join(dir, 'broken.onnx'), 'not a model');
  return dir;
}

function options(dir: string, over: Partial<GatherOptions> = {}): GatherOptions {
  return {
    roots: [{ path: dir, name: path.basename(dir) }],
    settings: { ...DEFAULT_SETTINGS },
    files: nodeFileReader,
    inspectOnnx: () => Promise.reject(new Error('not an ONNX model')),
    detectHardware: () => Promise.resolve(MACHINE),
    workspace: 'ws',
    toolVersion: 'test',
    generatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const settings = (over: Record<string, unknown>): Settings => sanitizeSettings(over).settings;

void test('the hardware is "detected" for every spelling of auto, and for a profile no table knows', async () => {
  const dir = workspace();
  for (const profile of ['auto', 'AUTO', ' Auto ']) {
    const { inputs } = await gatherReportInputs(options(dir, { settings: settings({ 'hardware.profile': profile }) }));
    assert.equal(inputs.hardware.source, 'detected on this machine', profile);
  }
  const unknown = await gatherReportInputs(
    options(dir, { settings: settings({ 'hardware.profile': 'Frobnicator 9000' }) }),
  );
  assert.equal(unknown.inputs.hardware.source, 'detected on this machine');
  assert.ok(unknown.inputs.hardware.notes?.some((n) => n.includes('Frobnicator 9000')));
  const named = await gatherReportInputs(options(dir, { settings: settings({ 'hardware.profile': 'RTX 4090' }) }));
  assert.equal(named.inputs.hardware.source, 'setting greenlens.hardware.profile = RTX 4090');
  assert.equal(named.inputs.hardware.device.kind, 'gpu');
});

void test('the CLI pipeline says "detected" for AUTO, as the editor does', async () => {
  const dir = workspace();
  const { inputs } = await runReportPipeline({
    folder: dir,
    outDir: tempDir('gl-gather-out-'),
    budgetMs: 0,
    rawSettings: { 'hardware.profile': 'AUTO' },
  });
  assert.equal(inputs.hardware.source, 'detected on this machine');
});

void test('Python texts are kept only where an edit can be built; ONNX errors say why', async () => {
  const dir = workspace();
  const { inputs, files, sources } = await gatherReportInputs(options(dir));
  assert.deepEqual(inputs.python.map((p) => p.file).sort(), ['infer.py', 'util.py']);
  assert.ok(inputs.python.find((p) => p.file === 'infer.py')?.source?.includes('resnet152'));
  assert.equal(inputs.python.find((p) => p.file === 'util.py')?.source, undefined);
  assert.deepEqual([...sources.keys()], ['infer.py']);
  assert.deepEqual(inputs.onnx, [{ file: 'broken.onnx', error: 'not an ONNX model' }]);
  assert.equal(files.get('broken.onnx'), path.join(dir, 'broken.onnx'));
});

void test('findings keep their rule severity whatever the editor display setting says', async () => {
  const dir = workspace();
  const plain = await gatherReportInputs(options(dir));
  const loud = await gatherReportInputs(options(dir, { settings: settings({ 'diagnostics.severity': 'error' }) }));
  const severities = (g: typeof plain): string[] =>
    g.inputs.python.flatMap((p) => p.analysis?.findings.map((f) => `${f.ruleId}:${f.severity}`) ?? []);
  assert.ok(severities(plain).includes('GL001:information'));
  assert.deepEqual(severities(loud), severities(plain));
});

void test('the cache analyzes only files whose stamp changed', async () => {
  const dir = workspace();
  const cache = new PythonInputCache();
  const read: string[] = [];
  const files: FileReader = {
    stamp: (f) => nodeFileReader.stamp(f),
    readText: (f) => {
      read.push(path.basename(f));
      return nodeFileReader.readText(f);
    },
  };
  const first = await gatherReportInputs(options(dir, { cache, files }));
  assert.deepEqual(read, ['infer.py']);
  const util = path.join(dir, 'util.py');
  writeFileSync(util, 'import torchvision\nmodel = torchvision.models.resnet18()\n');
  utimesSync(util, new Date(), new Date(Date.now() + 10_000));
  const second = await gatherReportInputs(options(dir, { cache, files }));
  assert.deepEqual(read, ['infer.py', 'util.py'], 'only the changed file is read again');
  const infer = (g: typeof first) => g.inputs.python.find((p) => p.file === 'infer.py');
  assert.equal(infer(second), infer(first), 'the unchanged file comes from the cache');
  assert.equal(second.inputs.python.find((p) => p.file === 'util.py')?.analysis?.sites.length, 1);
});

void test('several roots prefix their paths; profiles are kept only for files still present', async () => {
  const a = workspace();
  const b = tempDir('gl-gather-b-');
  mkdirSync(path.join(b, 'sub'));
  writeFileSync(path.join(b, 'sub', 'm.onnx'), 'x');
  const profile = { modelPath: 'm.onnx' } as unknown as ProfileResult;
  const { inputs } = await gatherReportInputs(
    options(a, {
      roots: [
        { path: a, name: 'first' },
        { path: b, name: 'second' },
      ],
      profiles: { 'second/sub/m.onnx': profile, 'second/gone.onnx': profile },
    }),
  );
  assert.deepEqual(
    inputs.onnx.map((o) => o.file),
    ['first/broken.onnx', 'second/sub/m.onnx'],
  );
  assert.deepEqual(Object.keys(inputs.profiles ?? {}), ['second/sub/m.onnx']);
});
