/**
 * The "Models" view in the Explorer: the workspace's ONNX files with parameters and GMACs; each item's
 * inline action opens the report on that model.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { onnxOneLine } from '../../analyzers/onnx/view';
import { defineFeature, type GreenLensContext } from '../context';
import { reportFeature } from '../report/index';
import { Inspection, type OnnxInspection } from './inspect';
import { ONNX_VIEW_TYPE } from './viewer';

export const MODELS_VIEW_ID = 'greenlens.models';
const MAX_FILES = 500;

class ModelItem extends vscode.TreeItem {
  constructor(readonly uri: vscode.Uri, description: string, tooltip: string, readonly failed: boolean) {
    super(path.basename(uri.fsPath), vscode.TreeItemCollapsibleState.None);
    this.resourceUri = uri;
    this.description = description;
    this.tooltip = tooltip;
    this.contextValue = 'greenlens.onnxModel';
    this.iconPath = new vscode.ThemeIcon(failed ? 'warning' : 'circuit-board');
    this.command = { command: 'vscode.openWith', title: 'Open', arguments: [uri, ONNX_VIEW_TYPE] };
  }
}

export class ModelsProvider implements vscode.TreeDataProvider<ModelItem> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  /**
   * `onListed` is called once the view has listed models, so the status bar summary is built after this
   * first analysis; `inspection` is the activation's shared ONNX reader.
   */
  constructor(private readonly inspection: OnnxInspection, private readonly onListed: () => void = () => {}) {}

  refresh(): void {
    this.emitter.fire();
  }

  getTreeItem(item: ModelItem): ModelItem {
    return item;
  }

  async getChildren(): Promise<ModelItem[]> {
    const files = await vscode.workspace.findFiles('**/*.onnx', '**/{node_modules,.git,.venv,venv}/**', MAX_FILES);
    files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    if (files.length > 0) this.onListed();
    return Promise.all(files.map(async (uri) => {
      const rel = vscode.workspace.asRelativePath(uri);
      try {
        const s = await this.inspection.inspect(uri.fsPath);
        return new ModelItem(uri, onnxOneLine(s), `${rel}\n${onnxOneLine(s)} at batch 1 (counted statically from the graph)`, false);
      } catch (err) {
        return new ModelItem(uri, 'unreadable', `${rel}\n${(err as Error).message}`, true);
      }
    }));
  }
}

/** One row of the Models view as plain data, for the integration tests. */
export interface ModelRow {
  name: string;
  description: string;
  tooltip: string;
  failed: boolean;
}

/** What the integration tests may ask of the Models view. */
export interface ModelsApi {
  /** The rows the view shows now (each model inspected, or its error). */
  rows(): Promise<ModelRow[]>;
}

/** The Models view's rows, read through its provider as the tree would read them. */
export function modelsApi(ctx: GreenLensContext): ModelsApi {
  return {
    async rows() {
      const items = await ctx.feature(ModelsView).getChildren();
      return items.map((i) => ({ name: path.basename(i.uri.fsPath), description: String(i.description ?? ''), tooltip: String(i.tooltip ?? ''), failed: i.failed }));
    },
  };
}

/** The view's provider with its file watcher; registered at activation, so the tree has data when it opens. */
export const ModelsView = defineFeature('the Models view', (ctx) => {
  const provider = new ModelsProvider(ctx.feature(Inspection), () => reportFeature(ctx).service.warmUp());
  ctx.push(vscode.window.registerTreeDataProvider(MODELS_VIEW_ID, provider));
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.onnx');
  // Several events arrive for one save or copy: refresh once they settle.
  let timer: NodeJS.Timeout | undefined;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => provider.refresh(), 300); };
  ctx.push(watcher, watcher.onDidCreate(later), watcher.onDidChange(later), watcher.onDidDelete(later), { dispose: () => clearTimeout(timer) });
  return provider;
});
