/**
 * Public API of the Python analyzer for the editor layer and the CLI. Load the grammar once
 * (`await loadPythonGrammar(wasmDir)`), then analyze synchronously.
 */
export { analyzePython, type AnalyzeOptions } from './analyze';
export { PythonDocumentAnalyzer, type DocumentChange } from './document';
export { defaultWasmDir, loadPythonGrammar, type PythonGrammar } from './treeSitter';
export { analyzePythonFiles, PythonAnalyzerPool, type FileAnalysis, type WorkspaceAnalyzeOptions } from './pool';
export {
  CATALOG_ALTERNATIVE_RULE_ID,
  RULES,
  ruleInfos,
  type RuleInfo,
  type SeverityOptions,
  type SiteRule,
} from './rules/index';
export { mayContainModels } from './frameworks';
export { documentResolver, PythonWorkspaceIndex, workspaceIndexFor } from './workspaceIndex';
export type { ModelClass, WorkspaceResolver } from './userModels';
export type * from './types';
