import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

const SECTION = 'greenlens';

async function openExample(name: string): Promise<vscode.TextDocument> {
  const [uri] = await vscode.workspace.findFiles(`**/${name}`, undefined, 1);
  assert.ok(uri, `${name} is in the workspace`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function until<T>(
  what: string,
  get: () => Promise<T> | T,
  ok: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await get();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last, null, 1)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await get();
  }
  return last;
}

async function lensTitles(doc: vscode.TextDocument): Promise<string[]> {
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
  return lenses.filter((l) => l.command?.command.startsWith('greenlens.')).map((l) => l.command!.title);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GreenLens');
}

function ruleIds(uri: vscode.Uri): string[] {
  return ours(uri)
    .map((d) => String((d.code as { value: string }).value))
    .sort();
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Workspace);
}

describe('python', () => {
  after(async () => {
    for (const key of ['codeLens.enabled', 'diagnostics.enabled', 'diagnostics.severity'])
      await setSetting(key, undefined);
  });

  it('shows the catalog figures of a torchvision model in its code lens', async () => {
    const doc = await openExample('infer_resnet.py');
    const titles = await until(
      'the model lens',
      () => lensTitles(doc),
      (t) => t.some((x) => x.startsWith('resnet152')),
    );
    const main = titles.find((t) => t.startsWith('resnet152'))!;
    assert.match(main, /^resnet152 · ≈ [\d.]+ [mµ]?J\/inf · grade D$/);
    assert.ok(main.length <= 60, main);
    assert.ok(titles.includes('Profile'), titles.join(' | '));
    assert.ok(titles.includes('Greener…'), titles.join(' | '));
    for (const t of titles) assert.doesNotMatch(t, /NaN|Infinity|undefined/);
  });

  it('shows only what is known for models outside the catalog', async () => {
    const doc = await openExample('hf_pipeline.py');
    const titles = await until(
      'the pipeline lenses',
      () => lensTitles(doc),
      (t) => t.some((x) => x.startsWith('distilbert')),
    );
    assert.ok(titles.includes('distilbert-base-uncased-finetuned-sst-2-en… · not in catalog'), titles.join(' | '));
    assert.ok(
      titles.some((t) => /^google\/vit-base-patch16-224 · ≈ [\d.]+ [mµ]?J\/inf · grade [A-G]/.test(t)),
      titles.join(' | '),
    );
  });

  it('estimates the training run of a training loop and says what it assumed', async () => {
    const doc = await openExample('train_classifier.py');
    const titles = await until(
      'the training lens',
      () => lensTitles(doc),
      (t) => t.some((x) => x.startsWith('Training loop')),
    );
    const training = titles.find((t) => t.startsWith('Training loop'))!;
    assert.match(
      training,
      /^Training loop · 30 epochs · batch 64 · ≈ [\d.e+-]+ kWh, [\d.e+-]+ kgCO2e, [\d.e+-]+ USD per 10,000 images\/epoch · estimated for .+$/,
    );
  });

  it('shows the model card on hover and in Show details', async () => {
    const doc = await openExample('infer_resnet.py');
    await until(
      'the model lens',
      () => lensTitles(doc),
      (t) => t.some((x) => x.startsWith('resnet152')),
    );
    const at = doc.positionAt(doc.getText().indexOf('resnet152(') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*resnet152\*\* \(torchvision, create\)/);
    assert.match(
      text,
      /60\.2 M parameters · 11\.6 GMACs per image · top-1 82\.28 % \(ImageNet-1k\) · GreenLens grade D/,
    );
    assert.match(text, /Energy per inference:\*\* ≈ .+ \(band .+\), estimated: /);
    const rows = await vscode.commands.executeCommand<string[]>('greenlens.python.showDetails', doc.uri, 0);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(
      rows?.some((r) => r.startsWith('Catalog entry: torchvision:resnet152.IMAGENET1K_V2')),
      rows?.join(' | '),
    );
  });

  it('reports findings in the Problems panel with rule codes that link to the documentation', async () => {
    const doc = await openExample('infer_resnet.py');
    await until(
      'diagnostics',
      () => ruleIds(doc.uri),
      (ids) => ids.includes('GL002'),
    );
    const ids = ruleIds(doc.uri);
    for (const id of ['GL001', 'GL002', 'GL012']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    for (const d of ours(doc.uri)) {
      const code = d.code as { value: string; target: vscode.Uri };
      assert.ok(code.target.fsPath.endsWith(`${code.value}.md`), code.target.toString());
      assert.ok(existsSync(code.target.fsPath), `${code.target.fsPath} exists`);
    }
    const gl012 = ours(doc.uri).find((d) => (d.code as { value: string }).value === 'GL012')!;
    assert.match(gl012.message, /^resnet152: the catalog knows \d+ models? .* the best is /);
  });

  it('applies a quick fix, and the diagnostic it fixes goes away', async () => {
    const doc = await openExample('infer_resnet.py');
    const diag = await until(
      'GL002',
      () => ours(doc.uri).find((d) => (d.code as { value: string }).value === 'GL002'),
      (d) => d !== undefined,
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag!.range,
    );
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Show rule documentation (GL002)'), titles.join(' | '));
    const fix = actions.find((a) => a.title === 'Insert model.eval()');
    assert.ok(fix?.edit, `a model.eval() fix among ${titles.join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /^ {8}model\.eval\(\)$/m);
    await until(
      'GL002 to go away',
      () => ruleIds(doc.uri),
      (ids) => !ids.includes('GL002') && ids.includes('GL001'),
    );
  });

  it('follows typing incrementally: a new model line gets its own lens', async () => {
    const doc = await openExample('infer_resnet.py');
    const line = doc.lineAt(10);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, line.range.end, '\nsmall = tvm.mobilenet_v3_small(weights="DEFAULT")');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until(
      'the new lens',
      () => lensTitles(doc),
      (t) => t.some((x) => /^mobilenet_v3_small · ≈ [\d.]+ [mµ]?J\/inf · grade [A-G]/.test(x)),
    );
  });

  it('turns lenses and diagnostics off and on with the settings', async () => {
    const doc = await openExample('infer_resnet.py');
    await until(
      'lenses',
      () => lensTitles(doc),
      (t) => t.length > 0,
    );
    await setSetting('codeLens.enabled', false);
    await until(
      'no lenses',
      () => lensTitles(doc),
      (t) => t.length === 0,
    );
    await setSetting('codeLens.enabled', undefined);
    await until(
      'lenses back',
      () => lensTitles(doc),
      (t) => t.length > 0,
    );
    await setSetting('diagnostics.severity', 'warning');
    await until(
      'warnings',
      () => ours(doc.uri),
      (d) => d.length > 0 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning),
    );
    await setSetting('diagnostics.enabled', false);
    await until(
      'no diagnostics',
      () => ours(doc.uri),
      (d) => d.length === 0,
    );
    await setSetting('diagnostics.enabled', undefined);
    await setSetting('diagnostics.severity', undefined);
    await until(
      'diagnostics back',
      () => ours(doc.uri),
      (d) => d.length > 0 && d.some((x) => x.severity !== vscode.DiagnosticSeverity.Warning),
    );
  });

  it('survives garbage: binary content and broken syntax give no lenses and no errors', async () => {
    const garbage = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import torch\x00\x01\x02 ((((\nmodel = tvm.resnet50(\n' + '\u0000'.repeat(10),
    });
    assert.deepEqual(await lensTitles(garbage), []);
    const broken = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import torchvision.models as tvm\ndef f(:\n  model = tvm.resnet50(weights=None\n))) ]]]\n',
    });
    const titles = await lensTitles(broken);
    for (const t of titles) assert.doesNotMatch(t, /NaN|Infinity|undefined/);
    const doc = await openExample('serve_onnx.py');
    await until(
      'lenses after garbage',
      () => lensTitles(doc),
      (t) => t.some((x) => x === 'fashion_mlp · not in catalog'),
    );
  });

  it('analyzes the workspace, honours greenlens.exclude and fills the diagnostics of unopened files', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const code =
      'import torch\nimport torchvision.models as tvm\nmodel = tvm.vgg16(weights="DEFAULT")\nfor x in [torch.rand(1, 3, 224, 224)]:\n    y = model(x)\n';
    const fresh = vscode.Uri.joinPath(folder, 'unopened_vgg.py');
    const skipped = vscode.Uri.joinPath(folder, 'generated', 'excluded_vgg.py');
    await vscode.workspace.fs.writeFile(fresh, Buffer.from(code));
    await vscode.workspace.fs.writeFile(skipped, Buffer.from(code));
    await setSetting('exclude', ['generated/']);
    try {
      const summary = await vscode.commands.executeCommand<{
        files: number;
        analyzed: number;
        findings: number;
        byRule: Record<string, number>;
      }>('greenlens.analyzeWorkspace');
      assert.ok(summary && summary.files >= 5 && summary.analyzed === summary.files, JSON.stringify(summary));
      assert.ok((summary.byRule.GL004 ?? 0) >= 2, JSON.stringify(summary.byRule));
      const ids = ruleIds(fresh);
      for (const id of ['GL001', 'GL002', 'GL012']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
      assert.deepEqual(ruleIds(skipped), []);
    } finally {
      await setSetting('exclude', undefined);
    }
  });
});
