/**
 * `greenlens profile <model.onnx>`: builds optimized variants, measures them on this machine in a worker
 * process, and prints latency, energy, size and accuracy next to the fp32 baseline.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  profileModel,
  VARIANT_FORMS,
  VariantSpecError,
  parseVariantList,
  type ProfileProgress,
} from '../../profiler/index';
import { assertRegularFile } from '../../fileAccess';
import { CliUsageError, EXIT, defaultCacheDir, withSignalStop, type CliCommand, type CliIO } from '../io';
import { formatProfile } from '../../report/profileText';
import { checkDuration, DURATION_LIMITS, type DurationLimits } from '../../settings';

export { formatProfile };
import { parseDims, parseValues } from './inspect';

/**
 * Parses `60s`, `90`, `2m`, `500ms` into milliseconds, within the limits of src/settings.ts (a budget
 * by default): a huge value would overflow the timers that enforce it.
 */
export function parseDuration(
  text: string,
  option = '--budget',
  limits: DurationLimits = DURATION_LIMITS.budget,
): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new CliUsageError(`${option} expects a duration such as 60s, 2m or 500ms, got "${text}"`);
  const v = Number(m[1]);
  const checked = checkDuration(option, m[2] === 'ms' ? v : m[2] === 'm' ? v * 60_000 : v * 1000, limits);
  if ('problem' in checked) throw new CliUsageError(checked.problem);
  return checked.ms;
}

/** Progress on a terminal: one redrawn bar line; elsewhere plain lines per variant. */
function progressPrinter(io: CliIO): (p: ProfileProgress) => void {
  let total = 0;
  return (p) => {
    if (p.type === 'run-started') {
      total = p.total;
      if (p.warning) io.err(`warning: ${p.warning}`);
    }
    if (io.isTTY && (p.type === 'variant-started' || p.type === 'variant-phase')) {
      const pass =
        p.type === 'variant-phase' && p.pass !== undefined
          ? ` (pass ${p.pass}${p.passes ? ` of ${p.passes}` : ''})`
          : '';
      const label =
        p.type === 'variant-started'
          ? `${p.id} starting`
          : `${p.id} ${p.phase}${pass}${p.repetitions ? ` ${p.repetitions} ${p.id === 'interleaved' ? 'rounds' : 'runs'} ±${p.ciPct?.toFixed(1)} %` : ''}`;
      const done = p.type === 'variant-started' ? p.index : undefined;
      if (done !== undefined) bar.done = done;
      const width = 24;
      const fill = Math.round((bar.done / Math.max(total, 1)) * width);
      process.stderr.write(
        `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${bar.done}/${total} ${label}`.padEnd(100).slice(0, 100),
      );
    } else if (p.type === 'variant-finished') {
      if (io.isTTY) process.stderr.write('\r'.padEnd(101) + '\r');
      const r = p.result;
      io.err(
        `[${p.index + 1}/${p.total}] ${r.id}: ${r.status}${r.metrics ? ` p50 ${r.metrics.p50Ms.toFixed(3)} ms` : ''}${r.reason ? ` (${r.reason})` : ''}`,
      );
    }
  };
}
const bar = { done: 0 };

export const profileCommand: CliCommand = {
  summary: 'measure optimized variants of an ONNX model on this machine',
  usage: `greenlens profile <model.onnx> [--variants a,b,...] [--dataset dir] [--budget 60s] [--batch n] [--dim name=n] [--value input=n] [--storage dir] [--cache dir | --no-cache] [--json]\n  variants: ${VARIANT_FORMS.join(', ')}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        variants: { type: 'string' },
        dataset: { type: 'string' },
        budget: { type: 'string' },
        json: { type: 'boolean' },
        batch: { type: 'string' },
        dim: { type: 'string', multiple: true },
        value: { type: 'string', multiple: true },
        storage: { type: 'string' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
      },
    });
    const file = positionals[0];
    if (!file) throw new CliUsageError('missing model file');
    let variants;
    try {
      variants = parseVariantList(values.variants ?? 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all');
    } catch (e) {
      if (e instanceof VariantSpecError) throw new CliUsageError(e.message);
      throw e;
    }
    const base = defaultCacheDir();
    const batch = values.batch ? Number(values.batch) : undefined;
    if (batch !== undefined && !(Number.isInteger(batch) && batch > 0))
      throw new CliUsageError('--batch expects a positive integer');
    const modelPath = path.resolve(io.cwd, file);
    // Before any worker starts: a missing path, a folder or a named pipe is bad input (exit 2).
    assertRegularFile(modelPath);
    return withSignalStop(async (stop) => {
      const result = await profileModel({
        modelPath,
        variants,
        storageDir: values.storage ? path.resolve(io.cwd, values.storage) : path.join(base, 'variants'),
        cacheDir: values['no-cache']
          ? undefined
          : values.cache
            ? path.resolve(io.cwd, values.cache)
            : path.join(base, 'profile-cache'),
        inputs: {
          dims: parseDims(values.dim ?? []),
          values: parseValues(values.value ?? []),
          datasetDir: values.dataset ? path.resolve(io.cwd, values.dataset) : undefined,
          batch,
        },
        budgetMs: values.budget ? parseDuration(values.budget) : 60_000,
        signal: stop.signal,
        onProgress: progressPrinter(io),
      });
      io.out(values.json ? JSON.stringify(result, null, 2) : formatProfile(result));
      return stop.exitCode(result.variants.some((v) => v.status === 'error') ? EXIT.variantFailed : EXIT.ok);
    });
  },
};
