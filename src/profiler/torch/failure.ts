/**
 * The error of a PyTorch profiling run that gave no result, in words for the user: an interpreter that
 * could not be started, a cancel or a timeout, a fatal error the harness reported, a protocol mismatch, or
 * a crash with the last lines of its output.
 */
import { environmentOf, type RunState } from './collect';
import type { PreparedHarness, TorchProfileOptions } from './prepare';
import type { HarnessExit } from './process';
import { HARNESS_PROTOCOL } from './protocol';
import { TorchProfileError, type TorchErrorCode } from './types';

/** The harness's fatal codes that the user sees as they are; any other code becomes 'internal'. */
const HARNESS_CODES: readonly string[] = [
  'no-torch',
  'no-numpy',
  'no-device',
  'import-failed',
  'build-failed',
  'needs-download',
  'no-input-shape',
  'dataset',
  'baseline-failed',
];

/** The last lines of a process's output, for a message that has to stay short. */
function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** The error for a run that did not finish, in words for the user. */
export function failure(
  exit: HarnessExit,
  s: RunState,
  opts: TorchProfileOptions,
  p: PreparedHarness,
): TorchProfileError {
  const details = {
    environment: s.hello?.torch ? environmentOf(s.hello) : undefined,
    stderrTail: exit.stderrTail,
    scriptPath: p.scriptPath,
  };
  const err = (message: string, code: TorchErrorCode) => new TorchProfileError(message, code, details);
  if (exit.spawnError) {
    const why =
      exit.spawnError.code === 'ENOENT' ? 'was not found' : `could not be started (${exit.spawnError.message})`;
    return err(
      `The Python interpreter "${opts.python}" ${why}. Set greenlens.pythonPath (or --python) to the interpreter that has PyTorch.`,
      'no-python',
    );
  }
  if (exit.stoppedBy === 'cancelled')
    return err('Profiling was cancelled; the harness and every process it started were stopped.', 'cancelled');
  if (exit.stoppedBy === 'timeout') {
    const last = tail(exit.stderrTail, 4);
    return err(
      `The harness did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s and was stopped with every process it started (a hang in the model or in its import?).${last ? ` Its last output: ${last}` : ''}`,
      'timeout',
    );
  }
  if (s.fatal) {
    const code = (HARNESS_CODES.includes(s.fatal.code) ? s.fatal.code : 'internal') as TorchErrorCode;
    const where = s.hello
      ? ` (Python ${s.hello.python} at ${s.hello.executable}${s.hello.torch ? `, torch ${s.hello.torch}` : ''})`
      : '';
    return err(`${s.fatal.message}${code === 'no-torch' ? '' : where}`, code);
  }
  if (s.hello && s.hello.protocol !== HARNESS_PROTOCOL)
    return err(`The harness speaks protocol ${s.hello.protocol}, GreenLens ${HARNESS_PROTOCOL}.`, 'protocol');
  const why = exit.signal
    ? `was killed by ${exit.signal}${exit.signal === 'SIGKILL' ? ' (out of memory?)' : ''}`
    : `exited with code ${exit.code}`;
  const last = tail(exit.stderrTail);
  const hint =
    !s.hello && /SyntaxError|invalid syntax/.test(last)
      ? ' The interpreter may be Python 2 or too old; GreenLens needs Python 3.8 or later.'
      : '';
  return err(`The harness ${why} before finishing.${hint}${last ? ` Its last output:\n${last}` : ''}`, 'crashed');
}
