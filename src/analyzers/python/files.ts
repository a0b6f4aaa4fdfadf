/**
 * Analysis of one Python file on disk, shared by the worker threads and the in-process fallback: read,
 * refuse what is too large, analyze with the same options as the editor, and never throw.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { analyzePython, type AnalyzeOptions } from './analyze';
import { PYTHON_LIMITS, SKIPPED, tooLargeMessage } from './limits';
import type { PythonAnalysis } from './types';
import { resolverFor } from './workspaceIndex';

/** Options that can cross a worker boundary (no functions, no signal). */
export type FileAnalyzeOptions = Pick<
  AnalyzeOptions,
  'timeoutMs' | 'prefilter' | 'torchVersion' | 'longTrainingEpochs' | 'severity'
> & {
  /** Workspace folders: model classes imported from other files under the file's folder are resolved. */
  workspaceRoots?: string[];
  /** Files larger than this are reported and not analyzed (default `PYTHON_LIMITS.maxBytes`, 2 MiB). */
  maxBytes?: number;
};

/** The result for one file: an analysis, or the error that prevented one. */
export interface FileAnalysis {
  file: string;
  bytes: number;
  analysis?: PythonAnalysis;
  error?: string;
}

/** Reads and analyzes one file; errors (unreadable, too large, parser failure) are returned, not thrown. */
export async function analyzeFile(file: string, opts: FileAnalyzeOptions = {}): Promise<FileAnalysis> {
  try {
    const handle = await open(file, 'r');
    let source: string;
    let size: number;
    try {
      size = (await handle.stat()).size;
      if (size > (opts.maxBytes ?? PYTHON_LIMITS.maxBytes)) return tooLarge(file, size, opts.maxBytes);
      source = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    return withSkip(
      file,
      size,
      analyzePython(source, { ...opts, file, workspace: resolverFor(file, opts.workspaceRoots) }),
    );
  } catch (err) {
    return { file, bytes: 0, error: (err as Error).message };
  }
}

function tooLarge(file: string, size: number, max?: number): FileAnalysis {
  return { file, bytes: size, error: tooLargeMessage(size, max) };
}

/**
 * The result of an analysis, with the reason as the file's error when it was skipped on a limit or the
 * parser faulted: every front end lists files with an error as not analyzed, and says why.
 */
function withSkip(file: string, bytes: number, analysis: PythonAnalysis): FileAnalysis {
  const skipped = analysis.parseErrors?.find((e) => e.message.startsWith(SKIPPED));
  return skipped ? { file, bytes, analysis, error: skipped.message } : { file, bytes, analysis };
}

/**
 * The same as {@link analyzeFile} with blocking reads, for worker threads, which do nothing else: the same
 * open, fstat and read, without the promise and thread-pool round trips of the async calls (3% of a
 * worker's time on a large package).
 */
export function analyzeFileSync(file: string, opts: FileAnalyzeOptions = {}): FileAnalysis {
  try {
    const fd = openSync(file, 'r');
    let source: string;
    let size: number;
    try {
      size = fstatSync(fd).size;
      if (size > (opts.maxBytes ?? PYTHON_LIMITS.maxBytes)) return tooLarge(file, size, opts.maxBytes);
      source = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
    return withSkip(
      file,
      size,
      analyzePython(source, { ...opts, file, workspace: resolverFor(file, opts.workspaceRoots) }),
    );
  } catch (err) {
    return { file, bytes: 0, error: (err as Error).message };
  }
}
