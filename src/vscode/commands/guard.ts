/**
 * The one error wrapper every command runs behind: a failure is logged with its stack to the output channel
 * and shown as a notification naming the command; a cancellation is logged and shown as nothing. The
 * extension host never sees the error, so a failing command cannot take it down.
 */
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import type { CommandId } from './ids';
import { failureMessage, isCancellation } from './failure';

/** A command's handler: VS Code passes whatever the caller gave, so each handler checks its arguments. */
export type CommandHandler = (...args: unknown[]) => unknown;

/** The command's title as package.json gives it, else its id (internal commands have no title). */
function titleOf(ctx: GreenLensContext, id: CommandId): string {
  const contributed = (
    ctx.extension.extension.packageJSON as { contributes?: { commands?: { command?: unknown; title?: unknown }[] } }
  ).contributes?.commands?.find((c) => c.command === id);
  return typeof contributed?.title === 'string' ? contributed.title.replace(/…$/, '') : id;
}

export function guardCommand(
  ctx: GreenLensContext,
  id: CommandId,
  handler: CommandHandler,
): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (isCancellation(err)) {
        ctx.log.info(`${id} cancelled.`);
        return undefined;
      }
      ctx.log.error(`${id} failed: ${(err as Error)?.stack ?? String(err)}`);
      void vscode.window.showErrorMessage(failureMessage(titleOf(ctx, id), err), 'Show Output').then((choice) => {
        if (choice) ctx.log.show(true);
      });
      return undefined;
    }
  };
}
