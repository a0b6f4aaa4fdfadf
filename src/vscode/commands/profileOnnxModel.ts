/**
 * GreenLens: Profile ONNX Model… — measures the model and its optimized variants on this machine in a
 * worker process, with one progress step per variant and Cancel. Trusted workspaces only: profiling runs
 * the model. Variants go to the extension's global storage, never next to the user's model.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProfileResult } from '../../profiler/index';
import type { GreenLensContext } from '../context';
import { chooseProfileInputs } from '../datasetPicker';
import { LatestRun } from '../latestRun';
import { lazyModules } from '../lazyModules';
import { reportFeature } from '../report/index';
import { pickOnnxFile } from './inspectOnnxModel';

/** What code lenses, the viewer and tests may pass instead of answering questions. */
export interface ProfileRequest {
  uri: vscode.Uri;
  variants?: string;
  datasetDir?: string;
  budgetSeconds?: number;
}

function isRequest(v: unknown): v is ProfileRequest {
  return typeof v === 'object' && v !== null && (v as ProfileRequest).uri instanceof vscode.Uri;
}

function chooseInputs(model: vscode.Uri): Promise<string | null | undefined> {
  return chooseProfileInputs(
    model,
    `Profile ${path.basename(model.fsPath)}: inputs`,
    'from the model’s input shapes and types',
  );
}

/** Keeps the result for the report (it survives a reload) and opens the report on this model. */
async function showInReport(ctx: GreenLensContext, uri: vscode.Uri, result: ProfileResult): Promise<void> {
  try {
    const { service, panel } = reportFeature(ctx);
    await service.profileFinished(uri, result);
    await panel.show(service.modelIdForFile(uri));
  } catch (err) {
    ctx.log.error(`The report could not show the profile of ${uri.fsPath}: ${(err as Error).stack ?? String(err)}`);
  }
}

export function profileOnnxModel(ctx: GreenLensContext) {
  const runs = new LatestRun();
  ctx.push(runs);
  return async (arg?: unknown): Promise<ProfileResult | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'GreenLens profiles models only in trusted workspaces, because profiling runs the model.',
      );
      return undefined;
    }
    const request = isRequest(arg) ? arg : undefined;
    const uri = request?.uri ?? (await pickOnnxFile(arg, 'GreenLens: Profile ONNX Model'));
    if (!uri) return undefined;
    const datasetDir = request ? request.datasetDir : await chooseInputs(uri);
    if (datasetDir === undefined && !request) return undefined;
    // Loaded on first use: the profiler is not needed to activate.
    const profiler = lazyModules.profiler();
    const text = lazyModules.profileText();
    const abort = runs.start('A newer profiling run replaced this one.');
    const storage = ctx.extension.globalStorageUri.fsPath;
    const budgetSeconds = request?.budgetSeconds ?? ctx.config.settings.profilingBudgetSeconds;
    const name = path.basename(uri.fsPath);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GreenLens: profiling ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort(new Error('Profiling was cancelled.')));
        let total = 1;
        try {
          const result = await profiler.profileModel({
            modelPath: uri.fsPath,
            storageDir: path.join(storage, 'variants'),
            cacheDir: path.join(storage, 'profile-cache'),
            variants: request?.variants ?? profiler.DEFAULT_VARIANTS,
            inputs: datasetDir ? { datasetDir } : {},
            budgetMs: budgetSeconds * 1000,
            signal: abort.signal,
            onProgress: (p) => {
              if (p.type === 'run-started') total = p.total;
              else if (p.type === 'variant-started')
                progress.report({ message: `${p.index + 1}/${p.total} ${p.label}`, increment: 100 / total });
              else if (p.type === 'variant-phase')
                progress.report({
                  message: `${p.id}: ${p.phase}${p.ciPct !== undefined ? ` (±${p.ciPct.toFixed(1)} %)` : ''}`,
                });
            },
          });
          ctx.log.info(`Profile of ${uri.fsPath}\n${text.formatProfile(result)}`);
          const measured = result.variants.filter((v) => v.status === 'measured').length;
          void vscode.window
            .showInformationMessage(
              `GreenLens: ${name} profiled, ${measured} of ${result.variants.length} variants measured.`,
              'Show details',
            )
            .then((choice) => {
              if (choice) ctx.log.show(true);
            });
          void showInReport(ctx, uri, result);
          return result;
        } catch (err) {
          const message = (err as Error).message;
          ctx.log.warn(`Profiling ${uri.fsPath} ended: ${message}`);
          if (!abort.signal.aborted)
            void vscode.window.showErrorMessage(`GreenLens: profiling ${name} failed: ${message}`);
          return undefined;
        } finally {
          runs.finished(abort);
        }
      },
    );
  };
}
