/**
 * The energy, cost and grade the .onnx viewer shows, taken from a report of that one file built with the
 * report's own inputs (settings, hardware, the stored profile), so the viewer and the report panel state
 * the same figures. Building it loads the catalog and energy models: done on first use, never at
 * activation.
 */
import * as vscode from 'vscode';
import type { OnnxViewRow } from '../../analyzers/onnx/viewTypes';
import type { GreenLensContext } from '../context';
import { Hardware } from '../hardware';
import { lazyModules } from '../lazyModules';
import { relativePath } from '../report/gather';
import { ProfileStore } from '../report/profiles';
import { inspectCached } from './inspect';

/** The key the report uses for a file: workspace-relative, prefixed by its folder in a multi-root workspace. */
function reportPath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return folder
    ? relativePath(folder, uri.fsPath, multi)
    : vscode.workspace.asRelativePath(uri, multi).replace(/\\/g, '/');
}

/** Energy per inference, yearly energy, cost and CO2e, and grade of one ONNX file, as report rows. */
export async function reportFigures(ctx: GreenLensContext, uri: vscode.Uri): Promise<OnnxViewRow[]> {
  const settings = ctx.config.settings;
  // Batch 1, as the report: its figures are per inference.
  const [summary, hw] = await Promise.all([
    inspectCached(ctx, uri.fsPath, 1),
    ctx.feature(Hardware).resolve(settings.hardwareProfile),
  ]);
  const file = reportPath(uri);
  const stored = new ProfileStore(ctx.extension.workspaceState).all()[file];
  const report = lazyModules.reportBuild().buildReport({
    workspace: vscode.workspace.name ?? 'workspace',
    toolVersion: '',
    generatedAt: new Date().toISOString(),
    settings,
    hardware: { device: hw.primary, source: lazyModules.reportGather().hardwareSource(hw, settings), notes: hw.notes },
    onnx: [{ file, summary }],
    python: [],
    profiles: stored ? { [file]: stored } : {},
  });
  return lazyModules.modelFigures().modelFigures(report, `onnx:${file}`);
}
