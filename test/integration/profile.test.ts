import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProfileResult } from '../../src/profiler/index';

describe('profiling', () => {
  it('profiles the example classifier in a worker process, with true accuracy from the labelled dataset', async function () {
    this.timeout(240_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const result = await vscode.commands.executeCommand<ProfileResult>('greenlens.profileOnnxModel', {
      uri: vscode.Uri.joinPath(folder, 'models', 'fashion_mlp.onnx'),
      datasetDir: vscode.Uri.joinPath(folder, 'data', 'fashion-mnist-test').fsPath,
      variants: 'int8-dynamic',
      budgetSeconds: 10,
    });
    assert.ok(result, 'a result is returned');
    const [baseline, int8] = result.variants;
    assert.equal(baseline?.status, 'measured', baseline?.reason);
    assert.equal(int8?.status, 'measured', int8?.reason);
    assert.ok(baseline.metrics && baseline.metrics.p50Ms > 0);
    assert.ok(
      int8.accuracy?.accuracy !== undefined && int8.accuracy.baselineAccuracy !== undefined,
      'true accuracy of both',
    );
    assert.ok(Math.abs(int8.accuracy.accuracy - int8.accuracy.baselineAccuracy) <= 0.01, 'int8 within 1 point of fp32');
    assert.ok(int8.energy?.meter, 'the energy reading names its meter or estimator');
    assert.ok(
      !result.variants.some((v) => v.modelPath?.startsWith(folder.fsPath) && v.kind !== 'baseline'),
      'variants are not written into the workspace',
    );
  });
});
