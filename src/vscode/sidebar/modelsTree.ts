/**
 * The Models view of the GreenLens side bar: every model of the workspace report (ONNX files and Python
 * model sites), grouped by file, each with its figures, grade, notes and findings as children. The tree
 * reads the report service's report (building it when the view opens) and redraws after each build; with
 * no model, it shows nothing and VS Code shows the view's welcome content.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportModel } from '../../report/types';
import type { CurrentReport, ReportService } from '../report/service';
import { detailRows, groupByFile, isUnreadable, modelRow, type DetailRow } from './rows';

export const MODELS_VIEW_ID = 'greenlens.models';

/** Context values of model rows: the inline actions' `when` clauses match them. */
export const MODEL_CONTEXT = { onnx: 'greenlens.model.onnx', python: 'greenlens.model.python' } as const;

export type ModelsNode =
  | { kind: 'file'; file: string; uri?: vscode.Uri; models: ReportModel[] }
  | { kind: 'model'; model: ReportModel; uri?: vscode.Uri }
  | { kind: 'detail'; row: DetailRow; uri?: vscode.Uri };

/** One model row as plain data, for the integration tests. */
export interface ModelRow {
  name: string;
  file: string;
  description: string;
  tooltip: string;
  failed: boolean;
  children: string[];
}

export class ModelsTree implements vscode.TreeDataProvider<ModelsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  private sub: vscode.Disposable | undefined;
  readonly onDidChangeTreeData = this.emitter.event;

  /** `service` is asked for on the first listing: the report service is created on first use. */
  constructor(
    private readonly service: () => ReportService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.sub?.dispose();
    this.emitter.dispose();
  }

  async getChildren(node?: ModelsNode): Promise<ModelsNode[]> {
    if (node?.kind === 'model') return detailRows(node.model).map((row) => ({ kind: 'detail', row, uri: node.uri }));
    if (node?.kind === 'file') return node.models.map((model) => ({ kind: 'model', model, uri: node.uri }));
    if (node) return [];
    const service = this.service();
    // Redraw after every build from the first listing on (a profile, a saved file, a changed setting).
    this.sub ??= service.onDidChange(() => this.refresh());
    let cur: CurrentReport | undefined;
    try {
      cur = await service.get();
    } catch (err) {
      this.log.warn(`The Models view could not build the report: ${(err as Error).message}`);
      return [];
    }
    if (!cur) return [];
    return groupByFile(cur.report).map((g) => ({
      kind: 'file',
      file: g.file,
      uri: cur.files.get(g.file),
      models: g.models,
    }));
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(path.posix.basename(node.file), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = node.uri;
      item.description = path.posix.dirname(node.file) === '.' ? '' : path.posix.dirname(node.file);
      item.iconPath = vscode.ThemeIcon.File;
      item.tooltip = `${node.file}: ${node.models.length} model${node.models.length === 1 ? '' : 's'}`;
      item.contextValue = 'greenlens.file';
      return item;
    }
    if (node.kind === 'model') return modelItem(node.model, node.uri);
    const { row } = node;
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    if (row.open && node.uri)
      item.command = {
        command: 'greenlens.models.reveal',
        title: 'Reveal in Editor',
        arguments: [{ uri: node.uri, line: row.open.line }],
      };
    return item;
  }

  /** The rows the view shows now, building the report when there is none (integration tests). */
  async rows(): Promise<ModelRow[]> {
    const files = await this.getChildren();
    return files
      .flatMap((f) => (f.kind === 'file' ? f.models : []))
      .map((m) => {
        const r = modelRow(m);
        return {
          name: m.name,
          file: m.file,
          description: r.description,
          tooltip: r.tooltip,
          failed: isUnreadable(m),
          children: detailRows(m).map((d) => `${d.label}${d.description ? ` ${d.description}` : ''}`),
        };
      });
  }
}

function modelItem(m: ReportModel, uri: vscode.Uri | undefined): vscode.TreeItem {
  const r = modelRow(m);
  const item = new vscode.TreeItem(r.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = m.id;
  item.description = r.description;
  item.tooltip = r.tooltip;
  item.contextValue = m.kind === 'onnx' ? MODEL_CONTEXT.onnx : MODEL_CONTEXT.python;
  item.iconPath = new vscode.ThemeIcon(
    isUnreadable(m) ? 'warning' : m.kind === 'onnx' ? 'circuit-board' : 'symbol-class',
  );
  item.accessibilityInformation = { label: `${m.name}, ${r.description}` };
  if (uri)
    item.command = {
      command: 'greenlens.models.reveal',
      title: 'Reveal in Editor',
      arguments: [{ uri, line: m.line, modelId: m.id }],
    };
  return item;
}
