import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnnxSummary } from '../../src/analyzers/onnx/index';

// The example classifier is a 784-256-128-10 MLP: weights plus biases of three Linear layers.
const MLP_PARAMS = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;

function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

describe('ONNX models', () => {
  it('Inspect ONNX Model reads the example classifier and opens the GreenLens viewer', async () => {
    const uri = workspaceFile('models', 'fashion_mlp.onnx');
    const summary = await vscode.commands.executeCommand<OnnxSummary>('greenlens.inspectOnnxModel', uri);
    assert.ok(summary, 'the command returns the summary');
    assert.equal(summary.structure.parameters.count, MLP_PARAMS);
    // One MAC per weight of each Gemm at batch 1.
    assert.equal(summary.cost.macs, 784 * 256 + 256 * 128 + 128 * 10);
    const deadline = Date.now() + 10_000;
    let input: unknown;
    while (Date.now() < deadline) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputCustom) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor tab is active');
    assert.equal(input.viewType, 'greenlens.onnxViewer');
    assert.equal(input.uri.fsPath, uri.fsPath);
  });

  it('a corrupt .onnx file gives a clear error and leaves the extension working', async () => {
    const bad = workspaceFile('models', 'corrupt.onnx');
    const good = fs.readFileSync(workspaceFile('models', 'fashion_mlp.onnx').fsPath);
    fs.writeFileSync(bad.fsPath, good.subarray(0, 1000));
    try {
      const result = await vscode.commands.executeCommand<OnnxSummary | undefined>('greenlens.inspectOnnxModel', bad);
      assert.equal(result, undefined, 'no summary for a truncated file');
      const again = await vscode.commands.executeCommand<OnnxSummary>(
        'greenlens.inspectOnnxModel',
        workspaceFile('models', 'fashion_mlp.onnx'),
      );
      assert.equal(again?.structure.parameters.count, MLP_PARAMS);
    } finally {
      fs.rmSync(bad.fsPath, { force: true });
    }
  });

  it('lists the workspace models in the Models view provider data', async () => {
    const files = await vscode.workspace.findFiles('**/*.onnx');
    assert.ok(files.some((f) => path.basename(f.fsPath) === 'fashion_mlp.onnx'));
    await vscode.commands.executeCommand('greenlens.refreshModels');
  });
});
