/**
 * Profiles a PyTorch model site in the user's Python: writes the prepared harness, runs it in a child
 * process with a time limit while its messages stream progress, and assembles a result in the ONNX
 * profiler's format. Fatal problems become a TorchProfileError with a message for the user.
 */
import { cpus } from 'node:os';
import * as path from 'node:path';
import { hashFile, machineFingerprint } from '../cache';
import { heavyLoadWarning } from '../load';
import { busyCpus } from '../threads';
import { environmentOf, modelOf, RunState } from './collect';
import { failure } from './failure';
import { prepareTorchProfile, writeHarness, type PreparedHarness, type TorchProfileOptions } from './prepare';
import { harnessEnv, runHarness, type HarnessExit } from './process';
import type { InputsMessage } from './protocol';
import type { TorchProfileResult } from './types';

/** Runs the harness and resolves with the result; rejects with a TorchProfileError when no result is possible. */
export async function profileTorch(
  opts: TorchProfileOptions,
  prepared: PreparedHarness = prepareTorchProfile(opts),
): Promise<TorchProfileResult> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? prepared.config.budgetMs * 2 + 120_000;
  writeHarness(prepared);
  const s = new RunState(prepared, opts);
  const warning = heavyLoadWarning(await busyCpus(), cpus().length);
  opts.onProgress?.({
    type: 'run-started',
    total: prepared.config.variants.length,
    variants: prepared.config.variants.map((v) => v.id),
    ...(warning ? { warning } : {}),
  });
  let exit: HarnessExit;
  try {
    exit = await runHarness({
      python: opts.python,
      script: prepared.scriptPath,
      cwd: opts.cwd ?? path.dirname(opts.site.file),
      timeoutMs,
      signal: opts.signal,
      env: harnessEnv(),
      onMessage: (m) => s.on(m),
      onStray: (l) => {
        if (s.stray.length < 20) s.stray.push(l);
      },
    });
  } finally {
    s.dispose();
  }
  if (!finished(s) || exit.stoppedBy) throw failure(exit, s, { ...opts, timeoutMs }, prepared);
  const result = await resultOf(s, opts, prepared, started, warning);
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}

/** A run whose harness said hello, described the model and its inputs, and finished. */
type FinishedRun = RunState & Required<Pick<RunState, 'hello' | 'model' | 'inputs'>>;

function finished(s: RunState): s is FinishedRun {
  return s.done && s.hello !== undefined && s.model !== undefined && s.inputs !== undefined;
}

/** The result of a finished run in the ONNX profiler's format, with the PyTorch run's own fields and notes. */
async function resultOf(
  s: FinishedRun,
  opts: TorchProfileOptions,
  prepared: PreparedHarness,
  started: number,
  warning: string | undefined,
): Promise<TorchProfileResult> {
  const baseline = s.results.find((r) => r.kind === 'baseline');
  const { ortVersion: _ort, ...machine } = machineFingerprint();
  const { args: _args, ...site } = opts.site;
  return {
    profiler: 'torch',
    modelPath: opts.site.file,
    modelSha256: await hashFile(opts.site.file),
    modelBytes: baseline?.metrics?.fileBytes ?? 0,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine,
    inputs: inputsOf(s.inputs),
    budgetMs: prepared.config.budgetMs,
    variants: s.ordered(),
    site,
    ...(s.measurement ? { measurement: s.measurement } : {}),
    environment: environmentOf(s.hello),
    model: modelOf(s.model),
    ...(s.onnx ? { onnxExport: s.onnx } : {}),
    scriptPath: prepared.scriptPath,
    notes: runNotes(s, warning),
  };
}

/** The inputs' description as the result keeps it. */
function inputsOf(m: InputsMessage): TorchProfileResult['inputs'] {
  return { source: m.source, description: m.description, labelled: m.labels !== null };
}

/** How the run measured, for the reader of the result, with the load warning and ignored output when any. */
function runNotes(s: RunState, warning: string | undefined): string[] {
  return [
    'Every variant runs under torch.no_grad() in one Python process, as a copy of the baseline built in that process.',
    "Every variant is built and checked first; then all of them, the baseline included, are timed together in randomized round-robin blocks, so that changes in the machine's load hit them alike, in passes that build every variant again.",
    "file: the size of the variant's serialized state_dict (torch.save).",
    "memory: the process's peak resident set while the variant was built and checked, including Python, torch and the variants built before it.",
    ...(warning ? [warning] : []),
    ...(s.stray.length
      ? [`The harness printed ${s.stray.length} line(s) that are not protocol messages; they were ignored.`]
      : []),
  ];
}
