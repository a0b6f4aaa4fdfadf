/** `greenlens inspect <model.onnx> [--json] [--dim batch=8]`: parameters, shapes, MACs and memory of a model. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { OnnxReadError, inspectOnnxFile } from '../../analyzers/onnx/index';
import { formatSummary } from '../../analyzers/onnx/format';
import { assertRegularFile } from '../../fileAccess';
import { CliUsageError, EXIT, type CliCommand } from '../io';

/** Parses `--value name=1,2` options: known values of small inputs (e.g. a sample rate). */
export function parseValues(specs: string[]): Record<string, number[]> {
  const values: Record<string, number[]> = {};
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const list = spec
      .slice(eq + 1)
      .split(',')
      .map(Number);
    if (eq <= 0 || list.some((v) => !Number.isFinite(v)))
      throw new CliUsageError(`--value expects name=number[,number...], got "${spec}"`);
    values[spec.slice(0, eq)] = list;
  }
  return values;
}

/** Parses `--dim name=value` options (name: a symbolic dim, `batch`, or `input:axis`). */
export function parseDims(specs: string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const value = Number(spec.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(value) || value < 0)
      throw new CliUsageError(`--dim expects name=non-negative integer, got "${spec}"`);
    dims[spec.slice(0, eq)] = value;
  }
  return dims;
}

export const inspectCommand: CliCommand = {
  summary: 'summarize an ONNX model: parameters, MACs, memory',
  usage: 'greenlens inspect <model.onnx> [--json] [--dim batch=8] [--dim name=value ...] [--value input=n[,n...]]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        dim: { type: 'string', multiple: true },
        value: { type: 'string', multiple: true },
      },
    });
    const file = positionals[0];
    if (!file) throw new CliUsageError('missing model file');
    const dims = parseDims(values.dim ?? []);
    const known = parseValues(values.value ?? []);
    const full = path.resolve(io.cwd, file);
    // A missing path, a folder or a named pipe fails here with a message that names it (exit 2).
    assertRegularFile(full);
    try {
      const summary = inspectOnnxFile(full, { dims, values: known });
      io.out(
        values.json ? JSON.stringify({ file: full, ...summary }, null, 2) : formatSummary(summary, path.basename(full)),
      );
      return 0;
    } catch (err) {
      if (err instanceof OnnxReadError) {
        io.err(`greenlens inspect: ${file}: ${err.message}`);
        return EXIT.input;
      }
      throw err;
    }
  },
};
