/**
 * Verdicts on what a `torch.load` call loads (a model, or a checkpoint that is no site), and the
 * `torch.hub` entry points that return helpers rather than models.
 */
import type { FileFacts } from './extract';
import { assignmentOf, type SiteTable } from './sites';
import type { SyntaxNode } from './treeSitter';

/** Uses that make a loaded object a checkpoint or plain tensors rather than a model. */
const CHECKPOINT_USE =
  /^\s*(?:\[|\.\s*(?:get|keys|items|values|pop|update|shape|size|t|numpy|float|long|view|reshape|unsqueeze|squeeze|mm|norm)\b)/;
const CHECKPOINT_NAME = /state|ckpt|checkpoint|weight|param|^sd$|dict|feat|label|emb|data|meta|stat|opt|vocab|^obj$/i;
/** Entry points of hub repositories that return helpers, not models (weights, transforms, tokenizers). */
const HUB_HELPER = /^(?:get_|load_|list|help|download)|transform|tokenizer|processor|utils?$/i;
const MODEL_NAME = /model|net|module|encoder|decoder|generator|discriminator|backbone|^m$/i;

/**
 * Decides what each `torch.load` loads. Its result is a model when the file calls it or puts it in eval
 * mode (high confidence); a checkpoint when it is indexed, passed to a call (`load_state_dict(torch.load(...))`)
 * or named like one (not a site); otherwise a model only by its name, which the site says (low confidence).
 * Runs before bindings, so removed sites leave no trace.
 */
export function classifyLoads(facts: FileFacts, table: SiteTable): void {
  const drop = new Set<number>();
  for (const [start, index] of table.byCall) {
    const site = table.sites[index];
    if (site?.framework === 'torch.hub' && HUB_HELPER.test(site.modelId ?? '')) drop.add(index);
    if (!site || site.callee !== 'torch.load') continue;
    const call = facts.calls.find((c) => c.start === start);
    const verdict = call ? loadVerdict(facts, call.node) : 'checkpoint';
    if (verdict === 'checkpoint') drop.add(index);
    else site.confidence = verdict;
  }
  if (drop.size === 0) return;
  const keep = table.sites.map((_, i) => !drop.has(i));
  const remap = new Map<number, number>();
  table.sites = table.sites.filter((_, i) => {
    if (keep[i]) remap.set(i, remap.size);
    return keep[i];
  });
  for (const [start, i] of [...table.byCall]) {
    const j = remap.get(i);
    if (j === undefined) table.byCall.delete(start);
    else table.byCall.set(start, j);
  }
}

function loadVerdict(facts: FileFacts, node: SyntaxNode): 'checkpoint' | 'high' | 'low' {
  let cur = node;
  while (cur.parent?.type === 'parenthesized_expression') cur = cur.parent;
  const parent = cur.parent;
  if (!parent || parent.type === 'subscript' || parent.type === 'argument_list' || parent.type === 'keyword_argument')
    return 'checkpoint';
  if (
    parent.type === 'attribute' &&
    /^(?:eval|to|cuda|cpu|half|float)$/.test(parent.childForFieldName('attribute')?.text ?? '')
  ) {
    return parent.childForFieldName('attribute')?.text === 'eval' ? 'high' : 'low';
  }
  if (parent.type === 'return_statement') return 'low';
  const a = assignmentOf(node);
  if (!a || !/^[A-Za-z_][\w.]*$/.test(a.left)) return 'checkpoint';
  const v = a.left.replace(/\./g, '\\.');
  const after = facts.source.slice(node.endIndex);
  for (const m of after.matchAll(new RegExp(`(?<![\\w.])${v}\\b(?!\\s*=[^=])`, 'g'))) {
    const rest = after.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 40);
    if (CHECKPOINT_USE.test(rest)) return 'checkpoint';
    if (/^\s*(?:\(|\.\s*(?:eval|forward|parameters|named_parameters|predict)\s*\()/.test(rest)) return 'high';
    const before = after.slice(Math.max(0, (m.index ?? 0) - 24), m.index ?? 0);
    if (/load_state_dict\s*\(\s*$/.test(before)) return 'checkpoint';
  }
  const leaf = a.left.slice(a.left.lastIndexOf('.') + 1);
  if (CHECKPOINT_NAME.test(leaf)) return 'checkpoint';
  return MODEL_NAME.test(leaf) ? 'low' : 'checkpoint';
}
