/**
 * Data loading, pruning and training rules: DataLoader without workers (GL005) or pinned memory on a GPU
 * (GL006), local pruning (GL007), global pruning (GL008), long training without early stopping or
 * checkpoints (GL011).
 */
import { readArgs, type Args, type CallFact } from '../extract';
import { DATALOADER, LOCAL_PRUNE, pruneFunction } from '../frameworks';
import { nodeRange, toPosition } from '../treeSitter';
import { addKeyword } from './edits';
import type { RawFinding, Rule, RuleContext } from './types';

function dataLoaders(ctx: RuleContext): { call: CallFact; args: Args }[] {
  const out: { call: CallFact; args: Args }[] = [];
  for (const [call, q] of ctx.table.qualified) if (DATALOADER.has(q)) out.push({ call, args: readArgs(call.node) });
  return out;
}

const workers: Rule = {
  id: 'GL005',
  title: 'DataLoader without worker processes',
  defaultSeverity: 'information',
  check(ctx) {
    return dataLoaders(ctx)
      .filter(({ args }) => {
        const w = args.keyword.get('num_workers');
        return !w || w.value === 0;
      })
      .map(({ call }): RawFinding => ({
        ruleId: 'GL005',
        range: nodeRange(call.node),
        message:
          'This DataLoader loads and transforms every batch in the main process (num_workers=0), so the accelerator idles while it waits: set num_workers to a few processes.',
      }));
  },
};

/** True when the file moves anything to a CUDA device. */
function usesGpu(ctx: RuleContext): boolean {
  return ctx.table.sites.some((s) => s.context.device === 'cuda') || /\.cuda\s*\(|["']cuda/.test(ctx.source);
}

const pinMemory: Rule = {
  id: 'GL006',
  title: 'DataLoader without pin_memory on a GPU',
  defaultSeverity: 'hint',
  check(ctx) {
    if (!usesGpu(ctx)) return [];
    return dataLoaders(ctx)
      .filter(({ args }) => args.keyword.get('pin_memory')?.value !== true)
      .map(({ call, args }): RawFinding => {
        const finding: RawFinding = {
          ruleId: 'GL006',
          range: nodeRange(call.node),
          message:
            'This DataLoader feeds a GPU from pageable memory: pin_memory=True lets host-to-device copies run asynchronously and faster.',
        };
        const existing = args.keyword.get('pin_memory');
        const edit = existing
          ? {
              range: { start: toPosition(existing.node.startPosition), end: toPosition(existing.node.endPosition) },
              newText: 'True',
            }
          : addKeyword(args, 'pin_memory', 'True');
        if (edit) finding.fix = { title: 'Set `pin_memory=True`', edits: [edit] };
        return finding;
      });
  },
};

const localPrune: Rule = {
  id: 'GL007',
  title: 'Local (per-layer) pruning',
  defaultSeverity: 'information',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const [call, q] of ctx.table.qualified) {
      const fn = pruneFunction(q);
      if (fn && LOCAL_PRUNE.has(fn)) {
        out.push({
          ruleId: 'GL007',
          range: nodeRange(call.node),
          message: `prune.${fn} zeroes weights without removing them: dense kernels still multiply the zeros, and the study of 42 image classifiers found no inference speed or energy gain from local pruning.`,
        });
      }
    }
    return out;
  },
};

const globalPrune: Rule = {
  id: 'GL008',
  title: 'Global pruning',
  defaultSeverity: 'information',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const [call, q] of ctx.table.qualified) {
      if (pruneFunction(q) === 'global_unstructured') {
        out.push({
          ruleId: 'GL008',
          range: nodeRange(call.node),
          message:
            'Global unstructured pruning ranks every weight of the model: in the study its optimization time made it the costliest tactic, while sparse weights in dense kernels save little at inference.',
        });
      }
    }
    return out;
  },
};

const longTraining: Rule = {
  id: 'GL011',
  title: 'Long training without early stopping or checkpoints',
  defaultSeverity: 'information',
  check(ctx) {
    return ctx.training.loops
      .filter(
        (l) => l.epochs !== undefined && l.epochs >= ctx.longTrainingEpochs && !l.hasEarlyStopping && !l.hasCheckpoint,
      )
      .map((l): RawFinding => ({
        ruleId: 'GL011',
        range: l.header ?? l.range,
        site: l.site,
        message: `This training runs ${l.epochs} epochs with neither early stopping nor checkpoints: every epoch past convergence is spent energy, and a crash loses the whole run.`,
      }));
  },
};

/** The data, pruning and training rules in id order. */
export const DATA_RULES: Rule[] = [workers, pinMemory, localPrune, globalPrune, longTraining];
