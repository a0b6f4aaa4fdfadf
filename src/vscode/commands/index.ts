/** Registers every GreenLens command; each handler is a small factory over the context. */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import { Commands } from './ids';
import { selectHardwareProfile } from './selectHardwareProfile';
import { analyzeWorkspace } from '../python/index';
import { inspectOnnxModel } from './inspectOnnxModel';
import { profileOnnxModel } from './profileOnnxModel';
import { profileTorchModel } from './profileTorch';
import { showReport } from './showReport';
import { estimateTrainingEnergy } from './estimateTrainingEnergy';

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: GreenLensContext): void {
  const table: Record<string, Handler> = {
    [Commands.analyzeWorkspace]: analyzeWorkspace(ctx),
    [Commands.showReport]: showReport(ctx),
    [Commands.profileOnnxModel]: profileOnnxModel(ctx),
    [Commands.profileTorchModel]: profileTorchModel(ctx),
    [Commands.inspectOnnxModel]: inspectOnnxModel(ctx),
    [Commands.estimateTrainingEnergy]: estimateTrainingEnergy(ctx),
    [Commands.selectHardwareProfile]: selectHardwareProfile(ctx),
  };
  for (const [id, handler] of Object.entries(table)) {
    ctx.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        // A failing command must never take the extension host down: log it and tell the user.
        ctx.log.error(`${id} failed: ${(err as Error).stack ?? String(err)}`);
        void vscode.window.showErrorMessage(`GreenLens: ${(err as Error).message}`);
        return undefined;
      }
    }));
  }
}
