/**
 * Runs a harness script in the user's Python as a child process in its own process group, reads its
 * JSON lines as they come, and ends it on cancel or timeout by killing the whole group (torch.compile and
 * DataLoaders start processes of their own). Pure Node.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { timerDelay } from '../../settings';
import { parseHarnessLine, type HarnessMessage } from './protocol';

export interface HarnessRunOptions {
  python: string;
  script: string;
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onMessage: (m: HarnessMessage) => void;
  /** Lines on stdout that are not protocol messages (the harness sends user output to stderr, so rare). */
  onStray?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** How the process ended. */
export interface HarnessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when GreenLens ended the process. */
  stoppedBy?: 'timeout' | 'cancelled';
  /** Set when the interpreter could not be started at all (ENOENT, EACCES). */
  spawnError?: NodeJS.ErrnoException;
  stderrTail: string;
}

const STDERR_KEEP = 6000;

/** Kills the process and everything it started; on POSIX the child leads its own process group. */
export function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/** Environment of the harness: unbuffered, no bytecode next to the user's files, Hugging Face offline. */
export function harnessEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    HF_HUB_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    PYTHONIOENCODING: 'utf-8',
  };
}

/** Runs the script; resolves when the process has ended, whatever the reason. Never rejects. */
export function runHarness(opts: HarnessRunOptions): Promise<HarnessExit> {
  return new Promise((resolve) => {
    let stderr = '';
    let stoppedBy: HarnessExit['stoppedBy'];
    let spawnError: NodeJS.ErrnoException | undefined;
    let child: ChildProcess;
    try {
      // stdin stays open and unused: the harness ends when it closes, that is, when this process dies.
      child = spawn(opts.python, ['-u', '-B', opts.script], {
        cwd: opts.cwd,
        env: { ...(opts.env ?? harnessEnv()), GREENLENS_HOST_STDIN: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (e) {
      resolve({ code: null, signal: null, spawnError: e as NodeJS.ErrnoException, stderrTail: '' });
      return;
    }
    const stop = (why: 'timeout' | 'cancelled') => {
      stoppedBy ??= why;
      killTree(child);
    };
    const timer = setTimeout(() => stop('timeout'), timerDelay(opts.timeoutMs));
    const onAbort = () => stop('cancelled');
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP);
    });
    const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const m = parseHarnessLine(line);
      if (m) opts.onMessage(m);
      else if (line.trim() !== '') opts.onStray?.(line);
    });
    child.on('error', (e) => {
      spawnError = e as NodeJS.ErrnoException;
    });
    // Leftover grandchildren would keep stdout open and delay 'close': end them as soon as the harness exits.
    child.on('exit', () => {
      if (!spawnError) killTree(child);
    });
    // 'close' comes after stdout has been read to its end, so no message is lost.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stoppedBy, spawnError, stderrTail: stderr });
    });
  });
}
