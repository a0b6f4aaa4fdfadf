/**
 * Declared options of a CLI command: one table gives node:util's parseArgs its configuration, gives
 * `--help` a line per option (description and default), and lets a number that starts with a dash reach
 * the command's own range check, which names the flag, instead of parseArgs's "argument is ambiguous".
 */
import { parseArgs } from 'node:util';
import { CliUsageError } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One line for `--help`. */
  description: string;
  /** What `--help` shows as the default (omitted: no default line). */
  default?: string;
  /** Placeholder of the value in `--help` (`PCT`, `FILE`). */
  value?: string;
  multiple?: boolean;
  short?: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** A command's help: usage line, summary, one line per option, and an example to copy. */
export function helpText(usage: string, summary: string, options: OptionTable, example: string): string {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const dflt = o.default === undefined ? '' : ` (default: ${o.default})`;
    return `  ${flag.padEnd(28)} ${o.description}${dflt}`;
  });
  return [
    `Usage: ${usage}`,
    '',
    summary,
    '',
    'Options:',
    ...rows,
    `  ${'-h, --help'.padEnd(28)} show this help`,
    '',
    'Example:',
    `  ${example}`,
  ].join('\n');
}

/** A value that starts with a dash but is a number (`-3`): joined to its flag so that parseArgs keeps it. */
export function joinNegativeNumbers(args: string[], options: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const spec = a.startsWith('--') ? options[a.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` against the table. Unknown options and missing values become CliUsageError with a
 * sentence that names the flag.
 */
export function parseOptions(args: string[], options: OptionTable): Parsed {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, o] of Object.entries(options))
    config[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeNumbers(args, options),
      options: config,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const flag = /'(-[^ ']+)/.exec((err as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliUsageError(`unknown option ${flag ?? ''}`.trim());
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new CliUsageError(`${flag ?? 'an option'} needs a value`);
    throw new CliUsageError((err as Error).message);
  }
}
