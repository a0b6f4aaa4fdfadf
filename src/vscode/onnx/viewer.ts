/** The read-only custom editor for *.onnx files: the model's summary with a "Profile this model" action. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { onnxView } from '../../analyzers/onnx/view';
import { isOnnxViewerToHost, type HostToOnnxViewer } from '../../webviewProtocol/onnxViewer';
import type { GreenLensContext } from '../context';
import { Commands } from '../commands/ids';
import { webviewHtml, webviewOptions } from '../webview/html';
import { reportFigures } from './figures';
import { inspectCached } from './inspect';

export const ONNX_VIEW_TYPE = 'greenlens.onnxViewer';

class OnnxDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class OnnxViewerProvider implements vscode.CustomReadonlyEditorProvider<OnnxDocument> {
  constructor(private readonly ctx: GreenLensContext) {}

  openCustomDocument(uri: vscode.Uri): OnnxDocument {
    return new OnnxDocument(uri);
  }

  resolveCustomEditor(doc: OnnxDocument, panel: vscode.WebviewPanel): void {
    const extUri = this.ctx.extension.extensionUri;
    panel.webview.options = webviewOptions(extUri);
    panel.webview.html = webviewHtml(panel.webview, extUri, {
      script: 'onnxViewer.js',
      style: 'viewer.css',
      title: path.basename(doc.uri.fsPath),
    });
    let batch = this.ctx.config.settings.onnxBatchSize;
    const post = (msg: HostToOnnxViewer) => void panel.webview.postMessage(msg);
    const show = async () => {
      try {
        const summary = await inspectCached(this.ctx, doc.uri.fsPath, batch);
        const view = onnxView(summary, path.basename(doc.uri.fsPath));
        post({ type: 'show', view, canProfile: vscode.workspace.isTrusted, batch });
        // The report's figures follow once worked out; a failure leaves the counted figures shown.
        view.figures = await reportFigures(this.ctx, doc.uri).catch((err: unknown) => {
          this.ctx.log.warn(`No energy figures for ${doc.uri.fsPath}: ${(err as Error).message}`);
          return [{ label: 'Energy per inference', value: 'unknown', source: (err as Error).message }];
        });
        post({ type: 'show', view, canProfile: vscode.workspace.isTrusted, batch });
      } catch (err) {
        this.ctx.log.warn(`Could not read ${doc.uri.fsPath}: ${(err as Error).message}`);
        post({ type: 'error', message: (err as Error).message });
      }
    };
    const subs: vscode.Disposable[] = [];
    subs.push(
      panel.webview.onDidReceiveMessage((msg: unknown) => {
        if (!isOnnxViewerToHost(msg)) {
          this.ctx.log.warn('The ONNX viewer sent a malformed message; ignored.');
          return;
        }
        if (msg.type === 'ready') void show();
        else if (msg.type === 'setBatch') {
          batch = msg.batch;
          void show();
        } else if (msg.type === 'profile') void vscode.commands.executeCommand(Commands.profileOnnxModel, doc.uri);
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(doc.uri.fsPath)), path.basename(doc.uri.fsPath)),
    );
    subs.push(
      watcher,
      watcher.onDidChange(() => void show()),
    );
    panel.onDidDispose(() => subs.forEach((s) => s.dispose()));
  }
}

export function registerOnnxViewer(ctx: GreenLensContext): void {
  ctx.push(
    vscode.window.registerCustomEditorProvider(ONNX_VIEW_TYPE, new OnnxViewerProvider(ctx), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}
