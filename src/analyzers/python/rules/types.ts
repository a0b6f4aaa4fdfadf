/** What a rule sees and what it returns. */
import type { FileFacts } from '../extract';
import type { SyntaxRoot } from '../forest';
import type { SiteTable } from '../sites';
import type { TrainingResult } from '../training';
import type { InferenceSite } from '../usage';
import type { Finding, InferenceCall, Severity } from '../types';

/** Everything the analysis found in one file, with the live tree for building fixes. */
export interface RuleContext {
  source: string;
  root: SyntaxRoot;
  facts: FileFacts;
  table: SiteTable;
  inference: { calls: InferenceCall[]; nodes: InferenceSite[] };
  training: TrainingResult;
  /** Installed torch version when the caller knows it (`2.3.1`); unknown means "assume current". */
  torchVersion?: string;
  /** Epoch count from which a training run counts as long (default 10). */
  longTrainingEpochs: number;
}

/** A finding before its severity is decided by the caller's settings. */
export type RawFinding = Omit<Finding, 'severity'>;

/** A green rule. */
export interface Rule {
  id: string;
  /** One-line summary, also the title of its documentation page. */
  title: string;
  defaultSeverity: Severity;
  check(ctx: RuleContext): RawFinding[];
}
