/**
 * Child process of `npm run fuzz` (bench/fuzz.ts): runs the cases its parent names, one at a time, and
 * answers each with its outcome, its time and the peak resident memory of the process during the case.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OnnxReadError, inspectOnnxBytes } from '../../src/analyzers/onnx/index';
import { analyzeFileSync } from '../../src/analyzers/python/files';
import { SKIPPED } from '../../src/analyzers/python/limits';
import { loadPythonGrammar } from '../../src/analyzers/python/treeSitter';
import { corpusModels, onnxCase, pythonCase, realModels } from '../../test/fuzz/cases';

/** A request from the parent. */
export interface CaseRequest {
  lane: 'onnx' | 'python';
  seed: number;
  index: number;
  scale: number;
}

/** The answer to one request. `outcome` is `ok` (analysed), `typed` (refused with a clear message) or `uncaught`. */
export interface CaseResult {
  index: number;
  label: string;
  outcome: 'ok' | 'typed' | 'uncaught';
  group: string;
  message?: string;
  ms: number;
  peakRssMb: number;
  /** Resident memory after the case: what the next case would start from. */
  rssMb: number;
}

const models = [...realModels(), ...corpusModels(3)];
const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function runOnnx(req: CaseRequest): Omit<CaseResult, 'ms' | 'peakRssMb' | 'rssMb'> {
  const c = onnxCase(models, req.seed, req.index);
  const group = c.label.split(' ')[1] ?? '';
  try {
    inspectOnnxBytes(c.bytes, { batch: 2 });
    return { index: req.index, label: c.label, group, outcome: 'ok' };
  } catch (err) {
    if (err instanceof OnnxReadError) return { index: req.index, label: c.label, group, outcome: 'typed' };
    return {
      index: req.index,
      label: c.label,
      group,
      outcome: 'uncaught',
      message: (err as Error)?.stack ?? String(err),
    };
  }
}

function runPython(req: CaseRequest): Omit<CaseResult, 'ms' | 'peakRssMb' | 'rssMb'> {
  const c = pythonCase(req.seed, req.index, req.scale);
  const group = c.label.split(' ')[0] ?? '';
  const file = path.join(dir, `case${req.index}.py`);
  writeFileSync(file, c.source);
  try {
    // Never throws: an error that is not a "Not analyzed" message is a failure the analyzer did not expect.
    const r = analyzeFileSync(file);
    if (r.error && !r.error.startsWith(SKIPPED))
      return { index: req.index, label: c.label, group, outcome: 'uncaught', message: r.error };
    return { index: req.index, label: c.label, group, outcome: r.error || r.analysis?.incomplete ? 'typed' : 'ok' };
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Resets the kernel's peak-RSS mark of this process (Linux: writing 5 to clear_refs sets VmHWM to the
 * current RSS), so that the peak read after a case is that case's. Returns false where this is impossible.
 */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The peak RSS in MB since the last reset (VmHWM), or over the process's life where it cannot be reset. */
function peakMb(reset: boolean): number {
  if (reset) {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  await loadPythonGrammar();
  process.on('message', (req: CaseRequest) => {
    const reset = resetPeak();
    const t0 = performance.now();
    const r = req.lane === 'onnx' ? runOnnx(req) : runPython(req);
    const result: CaseResult = {
      ...r,
      ms: performance.now() - t0,
      peakRssMb: peakMb(reset),
      rssMb: process.memoryUsage().rss / 1024 / 1024,
    };
    process.send?.(result);
  });
  process.send?.('ready');
}

void main();
