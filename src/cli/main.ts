/**
 * The `greenlens` command-line front end over the same pure modules as the extension, for CI and for
 * people outside VS Code. Each subcommand lives in src/cli/commands/.
 */
import { CliUsageError, type CliCommand, type CliIO } from './io';
import { profileCommand } from './commands/profile';
import { demoCommand } from './commands/demo';
import { inspectCommand } from './commands/inspect';
import { catalogCommand } from './commands/catalog';
import { estimateTrainingCommand } from './commands/estimate-training';

declare const GREENLENS_VERSION: string | undefined;

export const COMMANDS: Record<string, CliCommand> = {
  demo: demoCommand,
  report: { summary: 'build the energy / cost / accuracy report of a folder as html, md, json or csv', usage: 'greenlens report [folder] [--format html|md|json|csv] [--out file] [--budget 20s | --no-profile]', run: async (args, io) => (await import('./commands/report')).reportCommand.run(args, io) },
  inspect: inspectCommand,
  analyze: { summary: 'find model sites and green anti-patterns in Python code', usage: 'greenlens analyze [path] [--format text|json|markdown] [--exclude glob]...', run: async (args, io) => (await import('./commands/analyze')).analyzeCommand.run(args, io) },
  profile: profileCommand,
  'profile-torch': { summary: 'measure quantization, torch.compile, pruning and fp16/bf16 on a PyTorch model site in your Python', usage: 'greenlens profile-torch <file.py[:LINE]> [--python /usr/bin/python3] [--json] [--dataset dir] [--budget 60s] [--variants a,b] [--shape 1,784] [--device cpu|cuda] [--onnx] [--print-script] (all options: docs/profile-torch.md)', run: async (args, io) => (await import('./commands/profile-torch')).profileTorchCommand.run(args, io) },
  catalog: catalogCommand,
  'estimate-training': estimateTrainingCommand,
};

function help(io: CliIO): void {
  io.out('Usage: greenlens <command> [options]\n\nCommands:');
  for (const [name, cmd] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(18)} ${cmd.summary}`);
  io.out('\nRun `greenlens <command> --help` for a command’s options.');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? 0 : 1;
  }
  if (name === '--version' || name === 'version') {
    io.out(typeof GREENLENS_VERSION === 'string' ? GREENLENS_VERSION : 'dev');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`greenlens: unknown command "${name}". Run greenlens --help.`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`greenlens ${name}: ${(err as Error).message}\nUsage: ${cmd.usage}`);
      return 1;
    }
    io.err(`greenlens ${name}: ${(err as Error).message}`);
    return 1;
  }
}

/** Runs the CLI on `argv` with the process's streams; the exit code becomes process.exitCode. */
export function runCli(argv: string[]): void {
  // A closed pipe (`greenlens catalog | head`) ends the output, not the process with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); });
  const io: CliIO = {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  void main(argv, io).then((code) => { process.exitCode = code; });
}

// Run directly (`tsx src/cli/main.ts`); the shipped executable goes through src/cli/launch.ts.
if (require.main === module) runCli(process.argv.slice(2));
