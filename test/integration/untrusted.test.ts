import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GreenLensApi } from '../../src/extension';
import type { OnnxSummary } from '../../src/analyzers/onnx/index';

const ID = 'greenlens.greenlens';

/**
 * Runs alone (GREENLENS_IT_SUITE=untrusted) in a Restricted Mode workspace holding a real model and a
 * 20 MB file of ten million empty ONNX nodes.
 */
describe('an untrusted workspace with a hostile model file', () => {
  it('is in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('the Models view shows a clear error for the hostile file and the real model beside it', async () => {
    const ext = vscode.extensions.getExtension<GreenLensApi>(ID);
    assert.ok(ext, 'the extension is installed');
    const api = await ext.activate();
    assert.ok(api, 'activate() returns the API');
    const rows = await api.models.rows();
    const hostile = rows.find((r) => r.name === 'amplified.onnx');
    const real = rows.find((r) => r.name === 'fashion_mlp.onnx');
    assert.ok(hostile && real, `both files are listed: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.equal(hostile.failed, true);
    assert.equal(hostile.description, 'unreadable');
    assert.match(hostile.tooltip, /more than 300,000 nodes \(reader limit "nodes"\)/);
    assert.equal(real.failed, false, real.tooltip);
    assert.match(real.description, /J\/inf/);
    assert.ok(
      real.children.some((c) => /^Size 0\.235 M params/.test(c)),
      real.children.join(' | '),
    );
  });

  it('the extension host keeps answering: the real model is inspected after the hostile one', async () => {
    const [uri] = await vscode.workspace.findFiles('**/fashion_mlp.onnx', undefined, 1);
    assert.ok(uri);
    const summary = await vscode.commands.executeCommand<OnnxSummary>('greenlens.inspectOnnxModel', uri);
    // The example classifier is a 784-256-128-10 MLP: weights plus biases of three Linear layers.
    assert.equal(summary?.structure.parameters.count, 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
  });
});
