/**
 * What the command wrapper tells the user when a command fails, and which errors are not failures at all.
 * Kept free of `vscode` so that unit tests can check it.
 */

/**
 * Whether an error only says that the user or a newer run stopped the work: VS Code's CancellationError
 * (named "Canceled"), an AbortSignal's AbortError, and the profilers' typed `cancelled` errors.
 */
export function isCancellation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'Canceled' || e.name === 'AbortError' || e.code === 'cancelled' || e.code === 'ABORT_ERR';
}

/** The message of any thrown value, never empty. */
export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return message.trim() || 'an unexpected error without a message';
}

/** The notification for a failed command: which command, what went wrong, and where the details are. */
export function failureMessage(title: string, err: unknown): string {
  const message = errorMessage(err).replace(/[.\s]+$/, '');
  return `GreenLens: ${title} failed: ${message}. Details are in the GreenLens output channel.`;
}
