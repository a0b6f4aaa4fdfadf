import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GreenLensApi } from '../../src/extension';
import type { SidebarApi } from '../../src/vscode/sidebar/index';

const ID = 'greenlens.greenlens';

function reportTab(): { tab: vscode.Tab; column: vscode.ViewColumn } | undefined {
  for (const g of vscode.window.tabGroups.all) {
    const tab = g.tabs.find(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('greenlens.report'),
    );
    if (tab) return { tab, column: g.viewColumn };
  }
  return undefined;
}

async function until<T>(what: string, get: () => T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = get();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
    last = get();
  }
  return last;
}

describe('side bar', () => {
  let api: SidebarApi;

  before(async () => {
    const exported = await vscode.extensions.getExtension<GreenLensApi>(ID)!.activate();
    assert.ok(exported);
    api = exported.models;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("the Models tree lists the examples' ONNX file and Python models by file, with their figures and findings", async () => {
    const rows = await api.rows();
    const resnet = rows.find((r) => r.name === 'resnet152');
    assert.ok(resnet, rows.map((r) => r.name).join(', '));
    assert.equal(resnet.file, 'infer_resnet.py');
    assert.match(resnet.description, /^≈ [\d.]+ [mµ]?J\/inf · grade D · ≈ [\d.]+ k?Wh\/yr$/);
    assert.ok(resnet.children.includes('Size 11.6 GMACs'), resnet.children.join(' | '));
    // Earlier suites may have fixed some of its findings (GL002): any GreenLens rule counts here.
    assert.ok(
      resnet.children.some((c) => /^GL\d{3} /.test(c)),
      'findings are children of their model',
    );
    const onnx = rows.find((r) => r.file === 'models/fashion_mlp.onnx');
    assert.ok(onnx && !onnx.failed);
    assert.ok(
      onnx.children.some((c) => /^Size 0\.235 M params/.test(c)),
      onnx.children.join(' | '),
    );
    assert.ok(rows.some((r) => r.file === 'hf_pipeline.py' && r.name === 'google/vit-base-patch16-224'));
  });

  it('reveals a Python model at its line and an ONNX model in the GreenLens viewer', async () => {
    const [py] = await vscode.workspace.findFiles('**/infer_resnet.py', undefined, 1);
    assert.ok(py);
    assert.equal(await vscode.commands.executeCommand('greenlens.models.reveal', { uri: py, line: 11 }), true);
    const editor = await until(
      'the editor of infer_resnet.py',
      () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.fsPath === py.fsPath,
    );
    assert.equal(editor!.selection.active.line, 10);
    const [onnx] = await vscode.workspace.findFiles('**/fashion_mlp.onnx', undefined, 1);
    assert.ok(onnx);
    await vscode.commands.executeCommand('greenlens.models.reveal', { uri: onnx });
    await until(
      'the ONNX viewer tab',
      () => vscode.window.tabGroups.activeTabGroup.activeTab?.input,
      (i) => i instanceof vscode.TabInputCustom && i.viewType === 'greenlens.onnxViewer',
    );
    assert.equal(
      await vscode.commands.executeCommand('greenlens.models.reveal', 'not a node'),
      false,
      'anything else is refused',
    );
  });

  it('opens the full report beside the code, on the model asked for', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [py] = await vscode.workspace.findFiles('**/infer_resnet.py', undefined, 1);
    await vscode.window.showTextDocument(py!, { viewColumn: vscode.ViewColumn.One });
    const shown = await vscode.commands.executeCommand<string | undefined>('greenlens.openFullReport', {
      modelId: 'py:infer_resnet.py:11',
    });
    assert.equal(shown, 'py:infer_resnet.py:11');
    const found = await until(
      'the report tab',
      () => reportTab(),
      (t) => t !== undefined,
    );
    assert.equal(found!.column, vscode.ViewColumn.Two, 'beside the editor in the first column');
    assert.ok(
      vscode.window.tabGroups.all
        .find((g) => g.viewColumn === vscode.ViewColumn.One)
        ?.tabs.some((t) => t.label === 'infer_resnet.py'),
      'the code stays where it was',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
