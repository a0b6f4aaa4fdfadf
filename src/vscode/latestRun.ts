/**
 * One long run at a time for a command (profiling): a newer run stops the one before it, and deactivation
 * stops the run in progress, which ends its worker or child process. The command's factory makes one and
 * registers it on the context.
 */
import type * as vscode from 'vscode';

export class LatestRun implements vscode.Disposable {
  private current: AbortController | undefined;

  /** Starts a run, stopping the previous one with `replaced` as the reason. */
  start(replaced: string): AbortController {
    this.current?.abort(new Error(replaced));
    const abort = new AbortController();
    this.current = abort;
    return abort;
  }

  /** Forgets a run that ended (a newer run may already have replaced it). */
  finished(abort: AbortController): void {
    if (this.current === abort) this.current = undefined;
  }

  dispose(): void {
    this.current?.abort(new Error('GreenLens was deactivated.'));
    this.current = undefined;
  }
}
