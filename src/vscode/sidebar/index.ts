/**
 * The GreenLens side bar: the Overview (a webview view) and the Models tree, held by the context as one
 * feature. Registering it only wires the two providers: the report is built when a view is first shown.
 * Its commands are in the command table (`commands/index.ts`); their handlers are plain functions in
 * ./actions.
 */
import * as vscode from 'vscode';
import { defineFeature, type GreenLensContext } from '../context';
import { reportFeature } from '../report/index';
import { MODELS_VIEW_ID, ModelsTree, type ModelRow } from './modelsTree';
import { OVERVIEW_VIEW_ID, OverviewView } from './overview';

/** What the integration tests may ask of the side bar. */
export interface SidebarApi {
  /** The Models tree's model rows (the report is built when there is none). */
  rows(): Promise<ModelRow[]>;
  /** The model the Overview shows now. */
  overviewModel(): string | undefined;
}

export const Sidebar = defineFeature('the side bar', (ctx) => {
  const tree = new ModelsTree(() => reportFeature(ctx).service, ctx.log);
  const overview = new OverviewView(ctx);
  ctx.push(
    vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    tree,
    overview,
    vscode.window.registerWebviewViewProvider(OVERVIEW_VIEW_ID, overview, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );
  return { tree, overview };
});

/** The views are contributed from activation on, so their providers are registered then. */
export function registerSidebar(ctx: GreenLensContext): void {
  ctx.feature(Sidebar);
}

/** Rebuilds the report and redraws the Models tree. */
export async function refreshModels(ctx: GreenLensContext): Promise<void> {
  await reportFeature(ctx).service.rebuild();
  ctx.feature(Sidebar).tree.refresh();
}

export function sidebarApi(ctx: GreenLensContext): SidebarApi {
  return {
    rows: () => ctx.feature(Sidebar).tree.rows(),
    overviewModel: () => ctx.feature(Sidebar).overview.selected,
  };
}
