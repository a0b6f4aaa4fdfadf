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

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export interface CliCommand {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Where the CLI's caches live (profiles, compiled code) unless GREENLENS_CACHE_DIR says otherwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GREENLENS_CACHE_DIR || path.join(homedir(), '.cache', 'greenlens');
}
