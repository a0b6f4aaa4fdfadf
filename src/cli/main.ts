/**
 * The `greenlens` command-line front end over the same pure modules as the extension, for CI and for
 * people outside VS Code. Each subcommand lives in src/cli/commands/.
 */
import { disableOrtTelemetry } from '../profiler/ortPrivacy';
import { helpText, joinNegativeNumbers } from './args';
import { HELP } from './help';
import { CliUsageError, EXIT, INPUT_ERROR_NAMES, type CliCommand, type CliIO } from './io';
import { SETTING_FLAGS } from './settingsFlags';

declare const GREENLENS_VERSION: string | undefined;

/**
 * Each command is loaded when it runs: a command's modules (the profiler, the Python analyzer, the
 * report pipeline) cost tens of milliseconds to load, and `greenlens inspect` needs none of the others.
 */
export const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  demo: async () => (await import('./commands/demo')).demoCommand,
  report: async () => (await import('./commands/report')).reportCommand,
  inspect: async () => (await import('./commands/inspect')).inspectCommand,
  analyze: async () => (await import('./commands/analyze')).analyzeCommand,
  check: async () => (await import('./commands/check')).checkCommand,
  profile: async () => (await import('./commands/profile')).profileCommand,
  'profile-torch': async () => (await import('./commands/profile-torch')).profileTorchCommand,
  catalog: async () => (await import('./commands/catalog')).catalogCommand,
  'estimate-training': async () => (await import('./commands/estimate-training')).estimateTrainingCommand,
};

async function help(io: CliIO): Promise<void> {
  io.out('Usage: greenlens <command> [options]\n\nCommands:');
  for (const [name, load] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(18)} ${(await load()).summary}`);
  io.out('\nRun `greenlens <command> --help` for a command’s options.');
}

/**
 * The flags that set the same value as an editor setting, by setting id, in order of preference: the one
 * table of setting flags, and the names that some commands give to the same value (`estimate-training`'s
 * `--intensity` and `--gpu`).
 */
function flagsBySetting(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const entries: [string, string][] = [
    ...Object.entries(SETTING_FLAGS),
    ['intensity', SETTING_FLAGS['carbon-intensity']],
    ['gpu', SETTING_FLAGS.hardware],
  ];
  for (const [flag, key] of entries) out.set(`greenlens.${key}`, [...(out.get(`greenlens.${key}`) ?? []), flag]);
  return out;
}

/** Rewrites the settings a command has a flag for into that flag, so that a CLI user is told what to type. */
export function flagWording(text: string, flags: ReadonlySet<string>): string {
  let out = text;
  for (const [setting, candidates] of flagsBySetting()) {
    const flag = candidates.find((f) => flags.has(f));
    if (flag && out.includes(setting)) out = out.split(setting).join(`--${flag}`);
  }
  return out;
}

/** A command's `--help`: its own text, else its options and example from the help table. */
export function commandHelp(name: string, cmd: CliCommand): string {
  if (cmd.help) return cmd.help();
  const h = HELP[name];
  return h ? helpText(cmd.usage, cmd.summary, h.options, h.example) : `Usage: ${cmd.usage}\n\n${cmd.summary}`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io);
    return name ? 0 : 1;
  }
  if (name === '--version' || name === 'version') {
    io.out(typeof GREENLENS_VERSION === 'string' ? GREENLENS_VERSION : 'dev');
    return 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`greenlens: unknown command "${name}". Run greenlens --help.`);
    return 1;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(name, cmd));
    return 0;
  }
  const table = HELP[name]?.options;
  const flags = new Set([...Object.keys(table ?? {}), ...(cmd.flags ?? [])]);
  const cliIO: CliIO = { ...io, out: (t) => io.out(flagWording(t, flags)), err: (t) => io.err(flagWording(t, flags)) };
  try {
    return await cmd.run(table ? joinNegativeNumbers(rest, table) : rest, cliIO);
  } catch (err) {
    if (err instanceof CliUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`greenlens ${name}: ${(err as Error).message}\nUsage: ${cmd.usage}`);
      return cmd.usageExit ?? EXIT.usage;
    }
    io.err(`greenlens ${name}: ${(err as Error).message}`);
    return err instanceof Error && INPUT_ERROR_NAMES.has(err.name) ? EXIT.input : (cmd.usageExit ?? EXIT.usage);
  }
}

/** Runs the CLI on `argv` with the process's streams; the exit code becomes process.exitCode. */
export function runCli(argv: string[]): void {
  // Whatever a command loads later (onnxruntime in-process or in a worker) inherits this.
  disableOrtTelemetry();
  // A closed pipe (`greenlens catalog | head`) ends the output, not the process with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const io: CliIO = {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  void main(argv, io).then((code) => {
    process.exitCode = code;
  });
}

// Run directly (`tsx src/cli/main.ts`); the shipped executable goes through src/cli/launch.ts.
if (require.main === module) runCli(process.argv.slice(2));
