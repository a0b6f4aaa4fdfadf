/**
 * The analysis of one Python file: parse (bounded), extract facts (extract.ts), find sites, usage and
 * training, run the rules. The editor, the CLI and the benchmark all call this same function.
 */
import { extractFacts, type FileFacts } from './extract';
import { mayContainModels } from './frameworks';
import { runRules, type SeverityOptions, type SiteRule } from './rules/index';
import { limitReason } from './limits';
import { collectSites } from './sites';
import { collectTraining } from './training';
import { loadedPythonGrammar, parsePython, type PythonGrammar, type SyntaxTree } from './treeSitter';
import type { PythonAnalysis } from './types';
import type { WorkspaceResolver } from './userModels';
import { applyContext, collectInference, collectModelCalls } from './usage';

/** Options of {@link analyzePython}. */
export interface AnalyzeOptions {
  /** Copied into every site, for workspace-wide results. */
  file?: string;
  /** The loaded grammar; defaults to the one loaded by `loadPythonGrammar()`. */
  grammar?: PythonGrammar;
  /** Parse time limit in milliseconds (default 5000); past it the result is empty and `incomplete: 'timeout'`. */
  timeoutMs?: number;
  /** Cancels the analysis: the call then throws the signal's reason. */
  signal?: AbortSignal;
  /** Skip parsing files that cannot contain a model (default true). The result is the same either way. */
  prefilter?: boolean;
  /** Installed torch version, when known, for version-dependent rules (GL010 needs torch 2). */
  torchVersion?: string;
  /** Epochs from which GL011 calls a training run long (default 10). */
  longTrainingEpochs?: number;
  severity?: SeverityOptions;
  /** Extra rules over sites, such as the catalog's Pareto-better alternatives. */
  siteRules?: SiteRule[];
  /** Resolves model classes imported from other files of the workspace (cached per file version). */
  workspace?: WorkspaceResolver;
}

const EMPTY = (): PythonAnalysis => ({ sites: [], trainingLoops: [], inferenceCalls: [], findings: [] });
const MAX_PARSE_ERRORS = 20;
const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Returns the grammar to use or throws a clear error when none was loaded. */
export function requireGrammar(grammar?: PythonGrammar): PythonGrammar {
  const g = grammar ?? loadedPythonGrammar();
  if (!g) throw new Error('The Python grammar is not loaded: await loadPythonGrammar(wasmDir) first.');
  return g;
}

/**
 * Why a text is not parsed, if it is not: binary content, or over one of the limits on nesting and size
 * that bound the parser's memory (limits.ts).
 */
export function unparsableReason(source: string): string | undefined {
  // CPython refuses source with NUL bytes too; such files are binary data saved with a .py name.
  if (source.includes('\0')) return 'The file contains NUL bytes: it looks binary and is not analyzed.';
  return limitReason(source);
}

/**
 * Analyzes one Python source text: model sites, inference calls, training loops and rule findings.
 * Synchronous and bounded by `timeoutMs`; load the grammar once with `loadPythonGrammar()` before.
 */
export function analyzePython(source: string, opts: AnalyzeOptions = {}): PythonAnalysis {
  opts.signal?.throwIfAborted();
  const bad = unparsableReason(source);
  if (bad) return { ...EMPTY(), parseErrors: [{ range: ZERO, message: bad }] };
  if (opts.prefilter !== false && !opts.workspace && !mayContainModels(source)) return { ...EMPTY(), skipped: true };
  const grammar = requireGrammar(opts.grammar);
  const parsed = parsePython(grammar, source, { timeoutMs: opts.timeoutMs ?? 5000, signal: opts.signal });
  if (!parsed.tree) {
    opts.signal?.throwIfAborted();
    if (parsed.reason === 'fault')
      return { ...EMPTY(), incomplete: 'fault', parseErrors: [{ range: ZERO, message: parsed.message }] };
    return { ...EMPTY(), incomplete: parsed.reason };
  }
  try {
    return analyzeTree(parsed.tree, source, opts);
  } finally {
    parsed.tree.delete();
  }
}

/** Analyzes an already parsed tree. */
export function analyzeTree(tree: SyntaxTree, source: string, opts: AnalyzeOptions = {}): PythonAnalysis {
  opts.signal?.throwIfAborted();
  return analyzeFacts(extractFacts(tree.rootNode, source), opts);
}

/**
 * Everything after fact extraction: sites, usage, training, rules and syntax errors. The incremental
 * document analyzer calls this with facts it kept for unchanged statements, so both paths share it.
 */
export function analyzeFacts(facts: FileFacts, opts: AnalyzeOptions = {}): PythonAnalysis {
  opts.signal?.throwIfAborted();
  const { source, root } = facts;
  const table = collectSites(facts, opts.file, opts.workspace);
  const modelCalls = collectModelCalls(facts, table);
  applyContext(facts, table, modelCalls);
  const training = collectTraining(facts, table, modelCalls);
  const inference = collectInference(facts, table, modelCalls, training.spans);
  opts.signal?.throwIfAborted();
  const findings = runRules(
    {
      source,
      root,
      facts,
      table,
      inference,
      training,
      torchVersion: opts.torchVersion,
      longTrainingEpochs: opts.longTrainingEpochs ?? 10,
    },
    opts.severity,
    opts.siteRules,
    opts.signal,
  );
  const result: PythonAnalysis = {
    sites: table.sites,
    trainingLoops: training.loops,
    inferenceCalls: inference.calls,
    findings,
  };
  if (root.hasError()) result.parseErrors = root.errors(MAX_PARSE_ERRORS);
  return result;
}
