import { homedir } from 'node:os';
import * as path from 'node:path';

/** Output streams and exit codes of the CLI, passed in so that commands are testable without a process. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is an interactive terminal (progress bars are drawn only then). */
  isTTY: boolean;
  cwd: string;
}

/**
 * The CLI's exit codes, one table for every command (README.md lists the same). Signals follow the
 * shell's convention of 128 plus the signal's number.
 */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** A usage error (unknown command, bad option), or an unexpected failure. */
  usage: 1,
  /**
   * `check` only: an energy regression was found. `check` reports its usage errors with 2 instead, so that
   * in CI 1 always means a regression.
   */
  regression: 1,
  /** Bad input: a path that is missing, not a regular file or folder, unreadable, or not a valid model. */
  input: 2,
  /** `profile` and `profile-torch`: a variant failed; the others were measured. */
  variantFailed: 3,
  /** Interrupted with Ctrl-C (SIGINT). */
  interrupted: 130,
  /** Stopped with SIGTERM. */
  terminated: 143,
} as const;

/** Error types that mean the input was bad (exit 2); matched by name so that main.ts loads none of them. */
export const INPUT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'FileAccessError',
  'OnnxReadError',
  'InputError',
  'NpyError',
]);

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export interface CliCommand {
  summary: string;
  usage: string;
  /** The exit code of a usage error or unexpected failure; `EXIT.usage` unless the command says otherwise. */
  usageExit?: number;
  /** The full `--help` text: options with descriptions and defaults, and an example. */
  help?: () => string;
  /** The command's flags, when its options are not in the shared help table. */
  flags?: readonly string[];
  run(args: string[], io: CliIO): Promise<number>;
}

/** Where the CLI's caches live (profiles, compiled code) unless GREENLENS_CACHE_DIR says otherwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GREENLENS_CACHE_DIR || path.join(homedir(), '.cache', 'greenlens');
}

/** A long command's hold on SIGINT and SIGTERM; see {@link stopOnSignals}. */
export interface SignalStop {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** The exit code the command returns: 130 or 143 once interrupted, else `code`. */
  exitCode(code: number): number;
  dispose(): void;
}

/**
 * For commands that start workers: the first SIGINT or SIGTERM aborts the work (the runner kills its
 * worker) and the command ends with 130 or 143 instead of the process dying with the worker left behind;
 * a second signal exits at once.
 */
export function stopOnSignals(): SignalStop {
  const controller = new AbortController();
  let code: number | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = (): void => {
      if (code !== undefined) process.exit(code);
      code = sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      controller.abort();
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: controller.signal,
    exitCode: (c) => code ?? c,
    dispose: () => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
    },
  };
}

/**
 * Runs a long command under {@link stopOnSignals}. Work cut short by a signal may fail in any way; the
 * signal is what happened, so such a failure ends with the signal's exit code.
 */
export async function withSignalStop(run: (stop: SignalStop) => Promise<number>): Promise<number> {
  const stop = stopOnSignals();
  try {
    return await run(stop);
  } catch (err) {
    if (stop.signal.aborted) return stop.exitCode(EXIT.usage);
    throw err;
  } finally {
    stop.dispose();
  }
}
