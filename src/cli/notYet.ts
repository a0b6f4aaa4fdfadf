import type { CliCommand } from './io';

/** A command whose feature is not part of this version says so plainly and exits with status 2. */
export function notYet(name: string, summary: string, usage: string): CliCommand {
  return {
    summary,
    usage,
    run: async (_args, io) => {
      io.err(`greenlens ${name}: not available yet in this version of GreenLens.`);
      return 2;
    },
  };
}
