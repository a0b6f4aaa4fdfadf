/**
 * Training loops and training calls: `for epoch in range(N)` loops and loops that call `loss.backward()`
 * or `optimizer.step()`, `trainer.train()` on a transformers Trainer, `model.fit(...)` / `model.train(...)`
 * on a known model. Only the outermost loop of a nest is reported, with the settings found inside it.
 */
import { readArgs, type CallFact, type FileFacts, type Span } from './extract';
import { DATALOADER, TRAINER } from './frameworks';
import { scopeOf } from './scopes';
import { assignmentOf, type SiteTable } from './sites';
import type { ModelCall } from './usage';
import { nodeRange, toPosition, type SyntaxNode } from './treeSitter';
import type { ArgValue, Range, TrainingLoop } from './types';

/** Training loops with their spans (for excluding training forwards from inference). */
export interface TrainingResult {
  loops: TrainingLoop[];
  spans: Span[];
}

const num = (v: ArgValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** Training steps: `loss.backward()` and `optimizer.step()` (also `scaler.step(optimizer)`). */
export const STEP_CALL = /\.\s*backward$|(?:optim|^opt|scaler)\w*\s*\.\s*step$/i;
/** A necessary condition of {@link STEP_CALL}, cheap enough to run on every callee: it ends in `d` or `p`. */
function mayBeStep(fnText: string): boolean {
  const last = fnText.charCodeAt(fnText.length - 1) | 0x20;
  return last === 0x64 || last === 0x70;
}

/** A `for` header whose target names an epoch. */
export const EPOCH_FOR = /\bfor\b([^\n:]*epoch[^\n:]*)\bin\b/gi;

/** Finds the training loops and calls of a file. */
export function collectTraining(facts: FileFacts, table: SiteTable, modelCalls: ModelCall[]): TrainingResult {
  const result: TrainingResult = { loops: [], spans: [] };
  const batch = defaultBatchSize(table);
  const usesCuda = table.sites.some((s) => s.context.device === 'cuda');
  const loops = new Map<number, SyntaxNode>();
  const addOutermost = (node: SyntaxNode, self?: SyntaxNode): void => {
    const outer = scopeOf(facts, node).loops.at(-1) ?? self;
    if (outer?.type === 'for_statement') loops.set(outer.startIndex, outer);
  };
  for (const c of facts.calls) if (mayBeStep(c.fnText) && STEP_CALL.test(c.fnText)) addOutermost(c.node);
  for (const m of facts.source.matchAll(EPOCH_FOR)) {
    const n = facts.root.descendantForIndex(m.index ?? 0);
    // An epoch loop counts epochs: its iterable is a range (possibly wrapped, as in `tqdm(range(n))`).
    const loop = n?.type === 'for' && n.parent?.type === 'for_statement' ? n.parent : undefined;
    if (
      loop &&
      /epoch/i.test(loop.childForFieldName('left')?.text ?? '') &&
      /\brange\s*\(/.test(loop.childForFieldName('right')?.text ?? '')
    )
      addOutermost(loop, loop);
  }
  for (const loop of [...loops.values()].sort((a, b) => a.startIndex - b.startIndex)) {
    result.spans.push({ start: loop.startIndex, end: loop.endIndex });
    result.loops.push(loopInfo(facts, table, loop, modelCalls, batch, usesCuda));
  }
  for (const mc of modelCalls) addTrainingCall(facts, table, mc, result);
  addTrainerCalls(facts, table, result);
  for (const l of result.loops) {
    const site = l.site === undefined ? undefined : table.sites[l.site];
    if (site) site.context.trainingLoops++;
  }
  return result;
}

/** A loop's header, from `for` (or `while`) to its colon, without the body. */
function headerRange(loop: SyntaxNode): Range {
  const whole = nodeRange(loop);
  const colon = loop.children.find((c) => c?.type === ':');
  return colon ? { start: whole.start, end: toPosition(colon.endPosition) } : whole;
}

function loopInfo(
  facts: FileFacts,
  table: SiteTable,
  loop: SyntaxNode,
  modelCalls: ModelCall[],
  batch: number | undefined,
  usesCuda: boolean,
): TrainingLoop {
  const body = facts.source.slice(loop.startIndex, loop.endIndex);
  const trained = modelCalls.find((mc) => mc.call.start >= loop.startIndex && mc.call.start < loop.endIndex);
  const info: TrainingLoop = {
    range: nodeRange(loop),
    header: headerRange(loop),
    kind: 'loop',
    hasEarlyStopping: /\bbreak\b|early_?stop|EarlyStopping|patience/i.test(body),
    hasCheckpoint: /\b(?:torch\s*\.\s*save|save_checkpoint|save_pretrained|save_state)\s*\(|\.save\s*\(/.test(body),
    usesAutocast: /\bautocast\b|GradScaler/.test(body),
  };
  const epochLoop = epochLoopIn(loop);
  const epochs = epochLoop ? rangeLength(table, epochLoop) : undefined;
  if (epochs !== undefined) info.epochs = epochs;
  if (batch !== undefined) info.batchSize = batch;
  if (trained) {
    info.site = trained.site;
    const dev = table.sites[trained.site]?.context.device;
    if (dev) info.device = dev;
  } else if (usesCuda) info.device = 'cuda';
  return info;
}

/** The loop itself or its first nested `for` whose target names an epoch. */
function epochLoopIn(loop: SyntaxNode): SyntaxNode | undefined {
  let cur: SyntaxNode | undefined = loop;
  for (let i = 0; cur && i < 8; i++) {
    if (/epoch/i.test(cur.childForFieldName('left')?.text ?? '')) return cur;
    const body: SyntaxNode | null | undefined = cur.childForFieldName('body');
    cur = body?.namedChildren.find((c): c is SyntaxNode => c?.type === 'for_statement');
  }
  return undefined;
}

/** The iteration count of `range(N)` / `range(a, N)` with literal or constant bounds. */
function rangeLength(table: SiteTable, loop: SyntaxNode): number | undefined {
  const right = loop.childForFieldName('right');
  if (!right || right.type !== 'call' || right.childForFieldName('function')?.text !== 'range') return undefined;
  const pos = readArgs(right).positional.map((a) =>
    a.node.type === 'identifier' ? num(table.constant(a.node.text)) : num(a.value),
  );
  if (pos.length === 1) return pos[0];
  if (pos.length >= 2 && pos[0] !== undefined && pos[1] !== undefined) return Math.max(0, pos[1] - pos[0]);
  return undefined;
}

/** The literal batch size of the first DataLoader in the file, if any. */
function defaultBatchSize(table: SiteTable): number | undefined {
  for (const [call, q] of table.qualified) {
    if (!DATALOADER.has(q)) continue;
    const args = readArgs(call.node);
    const b = args.keyword.get('batch_size') ?? args.positional[1];
    const v = b?.node.type === 'identifier' ? num(table.constant(b.node.text)) : num(b?.value);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** `model.fit(...)` on a Keras model, `model.train(data=...)` on an ultralytics model. */
function addTrainingCall(facts: FileFacts, table: SiteTable, mc: ModelCall, result: TrainingResult): void {
  const site = table.sites[mc.site];
  const isFit = mc.method === 'fit' && site?.framework === 'keras';
  const isYoloTrain = mc.method === 'train' && site?.framework === 'ultralytics';
  if (!site || (!isFit && !isYoloTrain)) return;
  const args = readArgs(mc.call.node);
  const text = facts.source.slice(mc.call.start, mc.call.end);
  const epochs = epochArg(table, args.keyword.get('epochs')?.node.text, args.keyword.get('epochs')?.value);
  const info: TrainingLoop = {
    range: nodeRange(mc.call.node),
    header: nodeRange(mc.call.node),
    kind: 'fit',
    site: mc.site,
    // Ultralytics trains with early stopping (patience) and saves last/best weights by default.
    hasEarlyStopping: isYoloTrain || /EarlyStopping/.test(text),
    hasCheckpoint: isYoloTrain || /ModelCheckpoint|BackupAndRestore/.test(text),
    usesAutocast: isYoloTrain,
  };
  // Keras trains one epoch when `epochs` is not given.
  const e = epochs ?? (isFit ? 1 : undefined);
  if (e !== undefined) info.epochs = e;
  const b = num(args.keyword.get('batch_size')?.value) ?? num(args.keyword.get('batch')?.value);
  if (b !== undefined) info.batchSize = b;
  if (site.context.device) info.device = site.context.device;
  result.spans.push(mc.call);
  result.loops.push(info);
}

function epochArg(table: SiteTable, text: string | undefined, value: ArgValue | undefined): number | undefined {
  return num(value) ?? (text ? num(table.constant(text)) : undefined);
}

/** `trainer.train()` where `trainer = Trainer(args=TrainingArguments(...))`. */
function addTrainerCalls(facts: FileFacts, table: SiteTable, result: TrainingResult): void {
  const trainers = new Map<string, CallFact>();
  for (const [call, q] of table.qualified) {
    const a = TRAINER.has(q) ? assignmentOf(call.node) : undefined;
    if (a) trainers.set(a.left, call);
  }
  if (trainers.size === 0) return;
  const argsCall = [...table.qualified].find(
    ([, q]) => q === 'transformers.TrainingArguments' || q === 'transformers.Seq2SeqTrainingArguments',
  )?.[0];
  const targs = argsCall ? readArgs(argsCall.node) : undefined;
  const argsText = argsCall ? facts.source.slice(argsCall.start, argsCall.end) : '';
  for (const call of facts.calls) {
    const m = /^([\w.]+)\s*\.\s*train$/.exec(call.fnText);
    const trainer = m?.[1] ? trainers.get(m[1]) : undefined;
    if (!trainer) continue;
    const trainerText = facts.source.slice(trainer.start, trainer.end);
    const modelArg = readArgs(trainer.node).keyword.get('model')?.node.text;
    const info: TrainingLoop = {
      range: nodeRange(call.node),
      header: nodeRange(call.node),
      kind: 'trainer',
      epochs:
        epochArg(
          table,
          targs?.keyword.get('num_train_epochs')?.node.text,
          targs?.keyword.get('num_train_epochs')?.value,
        ) ?? 3,
      batchSize: num(targs?.keyword.get('per_device_train_batch_size')?.value) ?? 8,
      hasEarlyStopping: /EarlyStoppingCallback/.test(trainerText),
      // Trainer saves a checkpoint every 500 steps unless told `save_strategy="no"`.
      hasCheckpoint: !/save_strategy\s*=\s*["']no["']/.test(argsText),
      usesAutocast: /\b(?:fp16|bf16)\s*=\s*True/.test(argsText),
    };
    const site = modelArg ? table.bindings.get(modelArg) : undefined;
    if (site !== undefined) info.site = site;
    result.spans.push(call);
    result.loops.push(info);
  }
}
