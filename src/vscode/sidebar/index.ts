/**
 * The GreenLens side bar: the Overview (a webview view), the Models tree and their commands. One entry
 * point, registerSidebar(ctx); the command handlers are plain functions in ./actions. Registration only
 * wires providers: the report is built when a view is first shown.
 */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import { reportFeature } from '../report/index';
import { greenerModel, openFullReport, profileModel, revealModel } from './actions';
import { MODELS_VIEW_ID, ModelsTree, type ModelRow } from './modelsTree';
import { OVERVIEW_VIEW_ID, OverviewView } from './overview';

/** The side bar's command ids (package.json declares them). */
export const SidebarCommands = {
  openFullReport: 'greenlens.openFullReport',
  refreshModels: 'greenlens.refreshModels',
  profile: 'greenlens.models.profile',
  greener: 'greenlens.models.greener',
  reveal: 'greenlens.models.reveal',
} as const;

/** What the integration tests may ask of the side bar. */
export interface SidebarApi {
  /** The Models tree's model rows (the report is built when there is none). */
  rows(): Promise<ModelRow[]>;
  /** The model the Overview shows now. */
  overviewModel(): string | undefined;
}

let sidebar: { tree: ModelsTree; overview: OverviewView } | undefined;

export function registerSidebar(ctx: GreenLensContext): void {
  const tree = new ModelsTree(() => reportFeature(ctx).service, ctx.log);
  const overview = new OverviewView(ctx);
  sidebar = { tree, overview };
  const treeView = vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  ctx.push(
    treeView, tree, overview, { dispose: () => { sidebar = undefined; } },
    vscode.window.registerWebviewViewProvider(OVERVIEW_VIEW_ID, overview, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand(SidebarCommands.openFullReport, (arg?: unknown) => openFullReport(ctx, arg)),
    vscode.commands.registerCommand(SidebarCommands.refreshModels, async () => { await reportFeature(ctx).service.rebuild(); tree.refresh(); }),
    vscode.commands.registerCommand(SidebarCommands.profile, (arg?: unknown) => profileModel(arg)),
    vscode.commands.registerCommand(SidebarCommands.greener, (arg?: unknown) => greenerModel(ctx, arg)),
    vscode.commands.registerCommand(SidebarCommands.reveal, (arg?: unknown) => revealModel(arg)),
  );
}

export function sidebarApi(): SidebarApi {
  return {
    rows: async () => (await sidebar?.tree.rows()) ?? [],
    overviewModel: () => sidebar?.overview.selected,
  };
}
