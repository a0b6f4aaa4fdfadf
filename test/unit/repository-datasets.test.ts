/** The labelled-data folders the dataset picker proposes, found as the CLI's report finds its dataset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { datasetCandidates, datasetFor } from '../../src/repository/datasets';
import { tempDir } from './helpers/tempDir';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const FASHION = path.join(EXAMPLES, 'data', 'fashion-mnist-test');

void test('the examples propose the labelled Fashion-MNIST set, named like the ONNX and the PyTorch model', () => {
  for (const model of [path.join(EXAMPLES, 'models', 'fashion_mlp.onnx'), path.join(EXAMPLES, 'fashion_mlp.py')]) {
    assert.deepEqual(datasetCandidates(EXAMPLES, model), [{ dir: FASHION, labelled: true, matchesModel: true }]);
    assert.equal(datasetFor(EXAMPLES, model), FASHION);
  }
  // Another model still gets the folder proposed, but not as its own.
  assert.deepEqual(datasetCandidates(EXAMPLES, path.join(EXAMPLES, 'models', 'resnet18.onnx')), [
    { dir: FASHION, labelled: true, matchesModel: false },
  ]);
  assert.equal(datasetFor(EXAMPLES, path.join(EXAMPLES, 'models', 'resnet18.onnx')), undefined);
});

void test("only folders with inputs.npy are proposed, the model's own first, then by name; labels are noted", () => {
  const ws = tempDir('gl-datasets-');
  const make = (name: string, files: string[]): void => {
    mkdirSync(path.join(ws, 'data', name), { recursive: true });
    for (const f of files) writeFileSync(path.join(ws, 'data', name, f), '');
  };
  make('audio-clips', ['inputs.npy']);
  make('cifar-test', ['inputs.npy', 'labels.json']);
  make('notes', ['readme.txt']);
  make('mnist-small', ['inputs.npy', 'labels.json']);
  writeFileSync(path.join(ws, 'data', 'stray.npy'), '');
  const got = datasetCandidates(ws, path.join(ws, 'mnist_cnn.onnx')).map(
    (c) => `${path.basename(c.dir)} ${c.labelled ? 'labelled' : 'unlabelled'}${c.matchesModel ? ' own' : ''}`,
  );
  assert.deepEqual(got, ['mnist-small labelled own', 'audio-clips unlabelled', 'cifar-test labelled']);
  assert.equal(datasetFor(ws, path.join(ws, 'mnist_cnn.onnx')), path.join(ws, 'data', 'mnist-small'));
});

void test('a workspace without a data folder, or with a file named data, proposes nothing', () => {
  const ws = tempDir('gl-datasets-');
  assert.deepEqual(datasetCandidates(ws, path.join(ws, 'm.onnx')), []);
  writeFileSync(path.join(ws, 'data'), '');
  assert.deepEqual(datasetCandidates(ws, path.join(ws, 'm.onnx')), []);
  assert.equal(datasetFor(ws, path.join(ws, 'm.onnx')), undefined);
});
