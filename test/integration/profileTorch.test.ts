import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TorchProfileResult } from '../../src/profiler/torch/types';

/** Debian's python3-torch 1.13 and python3-torchvision 0.14. */
const PYTHON = '/usr/bin/python3';
const COMMAND = 'greenlens.profileTorchModel';

function example(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);
}

function everyTacticAnswered(result: TorchProfileResult): void {
  assert.deepEqual(
    result.variants.map((v) => v.id),
    ['baseline', 'int8-dynamic', 'torch-compile', 'prune-local:0.5', 'prune-global:0.5', 'fp16', 'bf16'],
  );
  for (const v of result.variants) {
    assert.ok(
      v.status === 'measured' || (v.status === 'not-applicable' && (v.reason ?? '') !== ''),
      `${v.id}: ${v.status} ${v.reason ?? ''}`,
    );
  }
  if (!result.environment.compile)
    assert.match(
      result.variants[2]!.reason ?? '',
      /has no torch\.compile/,
      'torch 1.13: torch.compile is reported unavailable',
    );
  const q = result.variants[1]!;
  assert.equal(q.status, 'measured', q.reason);
  assert.ok(
    q.accuracy?.top1Agreement !== undefined && q.accuracy.cosineSimilarity > 0.9,
    `agreement of the quantized model: ${JSON.stringify(q.accuracy)}`,
  );
  assert.ok(q.energy?.meter, 'energy names its meter or estimator');
}

describe('profiling PyTorch models', () => {
  it('profiles the torchvision resnet18 site with random weights and says so', async function () {
    this.timeout(420_000);
    const result = await vscode.commands.executeCommand<TorchProfileResult>(COMMAND, {
      uri: example('classify_resnet18.py'),
      line: 15,
      pythonPath: PYTHON,
      datasetDir: null,
      budgetSeconds: 25,
      onnxExport: false,
      confirmed: true,
    });
    assert.ok(result, 'a result is returned');
    everyTacticAnswered(result);
    assert.equal(result.model.className, 'ResNet');
    assert.deepEqual(result.model.inputShape, [1, 3, 224, 224]);
    if (result.model.weights === 'random') assert.match(result.model.notes.join(' '), /would need a download/);
  });

  it('profiles the Linear-heavy module with the interpreter from greenlens.pythonPath, next to its Profile lens', async function () {
    this.timeout(240_000);
    const uri = example('linear_heavy.py');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const deadline = Date.now() + 30_000;
    let lens: vscode.CodeLens | undefined;
    while (!lens && Date.now() < deadline) {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      lens = lenses.find((l) => l.command?.title === 'Profile' && l.range.start.line === 26);
      if (!lens) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(lens, 'a Profile lens sits above model = LinearHeavy(...)');
    const cfg = vscode.workspace.getConfiguration('greenlens');
    await cfg.update('pythonPath', PYTHON, vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand<TorchProfileResult>(COMMAND, {
        uri,
        line: 27,
        datasetDir: null,
        budgetSeconds: 15,
        confirmed: true,
      });
      assert.ok(result, 'a result is returned');
      everyTacticAnswered(result);
      assert.equal(result.environment.executable, PYTHON, 'the interpreter came from the setting');
      assert.equal(result.model.weights, 'user-code');
      assert.ok(
        result.onnxExport &&
          'path' in result.onnxExport &&
          !result.onnxExport.path.startsWith(vscode.workspace.workspaceFolders![0]!.uri.fsPath),
        'the ONNX export goes to GreenLens storage',
      );
    } finally {
      await cfg.update('pythonPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('reports true accuracy of the Fashion-MNIST MLP and its quantized variant on the labelled dataset', async function () {
    this.timeout(180_000);
    const result = await vscode.commands.executeCommand<TorchProfileResult>(COMMAND, {
      uri: example('fashion_mlp.py'),
      line: 26,
      pythonPath: PYTHON,
      datasetDir: example('data/fashion-mnist-test').fsPath,
      variants: 'int8-dynamic',
      budgetSeconds: 10,
      onnxExport: false,
      confirmed: true,
    });
    assert.ok(result, 'a result is returned');
    const [base, q] = result.variants;
    assert.ok(
      base?.accuracy?.accuracy !== undefined && base.accuracy.accuracy > 0.8,
      `baseline accuracy ${base?.accuracy?.accuracy}`,
    );
    assert.ok(
      q?.accuracy?.accuracy !== undefined && Math.abs(q.accuracy.accuracy - base.accuracy.accuracy) <= 0.01,
      `int8 accuracy ${q?.accuracy?.accuracy}`,
    );
    assert.equal(q.accuracy.baselineAccuracy, base.accuracy.accuracy);
  });

  it('answers a missing interpreter with an error and no result', async () => {
    const result = await vscode.commands.executeCommand<TorchProfileResult | undefined>(COMMAND, {
      uri: example('linear_heavy.py'),
      line: 27,
      pythonPath: '/nonexistent/python3',
      datasetDir: null,
      budgetSeconds: 5,
      confirmed: true,
    });
    assert.equal(result, undefined);
  });
});
