/** `greenlens inspect <model.onnx> [--json] [--dim batch=8]`: parameters, shapes, MACs and memory of a model. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { OnnxReadError, inspectOnnxFile } from '../../analyzers/onnx/index';
import { formatSummary } from '../../analyzers/onnx/format';
import { CliUsageError, type CliCommand } from '../io';

/** Parses `--dim name=value` options (name: a symbolic dim, `batch`, or `input:axis`). */
export function parseDims(specs: string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const value = Number(spec.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(value) || value < 0) throw new CliUsageError(`--dim expects name=non-negative integer, got "${spec}"`);
    dims[spec.slice(0, eq)] = value;
  }
  return dims;
}

export const inspectCommand: CliCommand = {
  summary: 'summarize an ONNX model: parameters, MACs, memory',
  usage: 'greenlens inspect <model.onnx> [--json] [--dim batch=8] [--dim name=value ...]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, dim: { type: 'string', multiple: true } } });
    const file = positionals[0];
    if (!file) throw new CliUsageError('missing model file');
    const dims = parseDims(values.dim ?? []);
    const full = path.resolve(io.cwd, file);
    try {
      const summary = inspectOnnxFile(full, { dims });
      io.out(values.json ? JSON.stringify({ file: full, ...summary }, null, 2) : formatSummary(summary, path.basename(full)));
      return 0;
    } catch (err) {
      if (err instanceof OnnxReadError) {
        io.err(`greenlens inspect: ${file}: ${err.message}`);
        return 2;
      }
      throw err;
    }
  },
};
