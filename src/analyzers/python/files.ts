/**
 * Analysis of one Python file on disk, shared by the worker threads and the in-process fallback: read,
 * refuse what is too large, analyze with the same options as the editor, and never throw.
 */
import { readFile, stat } from 'node:fs/promises';
import { analyzePython, type AnalyzeOptions } from './analyze';
import type { PythonAnalysis } from './types';

/** Options that can cross a worker boundary (no functions, no signal). */
export type FileAnalyzeOptions = Pick<AnalyzeOptions, 'timeoutMs' | 'prefilter' | 'torchVersion' | 'longTrainingEpochs' | 'severity'> & {
  /** Files larger than this are reported and not analyzed (default 20 MB). */
  maxBytes?: number;
};

/** The result for one file: an analysis, or the error that prevented one. */
export interface FileAnalysis {
  file: string;
  bytes: number;
  analysis?: PythonAnalysis;
  error?: string;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Reads and analyzes one file; errors (unreadable, too large, parser failure) are returned, not thrown. */
export async function analyzeFile(file: string, opts: FileAnalyzeOptions = {}): Promise<FileAnalysis> {
  try {
    const size = (await stat(file)).size;
    if (size > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) return { file, bytes: size, error: `Not analyzed: ${(size / 1e6).toFixed(1)} MB is over the size limit.` };
    const source = await readFile(file, 'utf8');
    return { file, bytes: size, analysis: analyzePython(source, { ...opts, file }) };
  } catch (err) {
    return { file, bytes: 0, error: (err as Error).message };
  }
}
