/**
 * Model sites that one call reveals by its form where no framework table names its callee: builders
 * called through a variable (`base = keras.applications.EfficientNetB0`), bare layers used as the model,
 * and loaders of classes the analyzer does not know by name.
 */
import { readArgs, type CallFact, type FileFacts } from './extract';
import { BARE_LAYER_ASSIGNMENT, matchCallee } from './frameworks';
import { resolveDotted } from './imports';
import { argRecord, assignmentOf, emptyContext, type SiteTable } from './sites';
import { nodeRange } from './treeSitter';
import type { ModelSite } from './types';
import { staticParams } from './userModels';

/** `name = dotted.builder` assignments whose right side is a known model builder, by local name. */
export function calleeAliases(facts: FileFacts): Map<string, string> {
  const out = new Map<string, string>();
  if (!facts.source.includes('=')) return out;
  for (const m of facts.source.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#.*)?$/gm)) {
    const [, name, rhs] = m;
    if (!name || !rhs || facts.imports.names.has(name)) continue;
    const q = resolveDotted(facts.imports, rhs);
    if (q && matchCallee(q)) out.set(name, q);
  }
  return out;
}

const LAYER =
  /^torch\.nn\.(?:modules\.\w+\.)?(Sequential|Linear|Bilinear|Conv[123]d|LSTM|GRU|RNN|Transformer|TransformerEncoder|TransformerDecoder|MultiheadAttention|Embedding)$/;

/** True when an offset lies inside the body of one of the file's model classes. */
function insideModelClass(facts: FileFacts, table: SiteTable, offset: number): boolean {
  return facts.classes.some((c) => c.body.start <= offset && offset < c.body.end && table.modelClasses.has(c.name));
}

/** A bare `nn.Sequential(...)` / `nn.Linear(...)` bound to a variable outside any model class: the model itself. */
export function layerSite(
  facts: FileFacts,
  call: CallFact,
  q: string | undefined,
  table: SiteTable,
): ModelSite | undefined {
  const layer = q?.startsWith('torch.nn.') ? LAYER.exec(q)?.[1] : undefined;
  if (!layer || !q || insideModelClass(facts, table, call.start)) return undefined;
  const a = assignmentOf(call.node);
  // The same form the byte prefilter looks for: `name = nn.Sequential(...)`.
  if (!a || !new RegExp(BARE_LAYER_ASSIGNMENT.source).test(a.node.text)) return undefined;
  const site: ModelSite = {
    range: nodeRange(call.node),
    framework: 'torch',
    kind: 'create',
    modelId: layer,
    args: argRecord(readArgs(call.node)),
    callee: q,
    boundTo: [],
    context: emptyContext(),
  };
  const params = staticParams(call.node.text);
  if (params !== undefined && params > 0) site.params = params;
  return site;
}

/** Class names whose `from_pretrained` loads a model by the Hugging Face convention. */
const PRETRAINED_MODEL = /(?:Model|For[A-Z]\w*|Pipeline|LM)$/;

/**
 * `X.load_from_checkpoint(...)` (Lightning) and `X.from_pretrained(...)` of a class named like a model,
 * from a library the analyzer has no table for (PEFT, SetFit, Optimum, a local subclass).
 */
export function genericSite(
  facts: FileFacts,
  call: CallFact,
  q: string | undefined,
  table: SiteTable,
): ModelSite | undefined {
  if (call.fnType !== 'attribute' || !(call.fnText.endsWith('_pretrained') || call.fnText.endsWith('_checkpoint')))
    return undefined;
  const m = /^([\w.]*?)([A-Za-z_]\w*)\s*\.\s*(from_pretrained|load_from_checkpoint)$/.exec(call.fnText);
  const cls = m?.[2];
  if (!m || !cls || !/^[A-Z]/.test(cls)) return undefined;
  const lightning = m[3] === 'load_from_checkpoint';
  if (
    !lightning &&
    (!PRETRAINED_MODEL.test(cls) || /^(?:transformers|diffusers|sentence_transformers)\./.test(q ?? ''))
  )
    return undefined;
  if (insideModelClass(facts, table, call.start) && !assignmentOf(call.node)) return undefined;
  const args = readArgs(call.node);
  const first =
    args.positional[0]?.value ??
    args.keyword.get('pretrained_model_name_or_path')?.value ??
    args.keyword.get('checkpoint_path')?.value;
  const site: ModelSite = {
    range: nodeRange(call.node),
    framework: lightning ? 'torch' : cls.endsWith('Pipeline') ? 'diffusers' : 'transformers',
    kind: 'load',
    modelId: typeof first === 'string' ? first : cls,
    args: argRecord(args),
    callee: q ?? call.fnText,
    boundTo: [],
    context: emptyContext(),
    confidence: 'medium',
  };
  return site;
}
