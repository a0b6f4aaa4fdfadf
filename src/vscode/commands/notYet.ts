/** The handler of a command whose feature is not part of this version: it says so plainly. */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';

export function notAvailableYet(ctx: GreenLensContext, title: string) {
  return async (): Promise<void> => {
    const message = `GreenLens: "${title}" is not available yet in this version of GreenLens.`;
    ctx.log.info(message);
    await vscode.window.showInformationMessage(message);
  };
}
