/**
 * How the report's recommendations are grouped and pruned before anyone reads them: quantified savings
 * first and unquantified hygiene apart ("also consider"), one suggestion per architecture when catalog
 * entries differ only by their pretrained weights, and no suggestion for hardware the estimates are not
 * for. Pure: every renderer (HTML page, Markdown, the panel) groups the same way.
 */
import type { ReportFinding, ReportRecommendation } from './types';

/** The two groups a reader sees: what saves a stated amount, ranked by it, then what nobody measured. */
export interface RecommendationGroups {
  /** Recommendations with measured or estimated savings, in report order (largest yearly saving first). */
  quantified: ReportRecommendation[];
  /** Code hygiene whose savings were not quantified (`inference_mode`, `eval()`, …). */
  alsoConsider: ReportRecommendation[];
}

/** Splits ranked recommendations into the quantified group and "also consider", each keeping its order. */
export function groupRecommendations(recs: readonly ReportRecommendation[]): RecommendationGroups {
  return {
    quantified: recs.filter((r) => !r.unquantified),
    alsoConsider: recs.filter((r) => r.unquantified),
  };
}

/** A catalog name split into its architecture and its pretrained weights. */
export interface WeightsName {
  /** `torchvision:mobilenet_v3_large` or `resnet50` (timm). */
  architecture: string;
  /** `IMAGENET1K_V2` or `a1_in1k`; absent when the name carries no weights tag. */
  weights?: string;
}

/**
 * Splits a catalog name (`torchvision:mobilenet_v3_large.IMAGENET1K_V2`, `resnet50.a1_in1k`) at its last
 * dot: both libraries write the weights after the architecture that way.
 */
export function splitWeights(name: string): WeightsName {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { architecture: name.slice(0, dot), weights: name.slice(dot + 1) } : { architecture: name };
}

/** What merging needs to know of a candidate: its catalog name, input size, energy and accuracy. */
export interface WeightsCandidate {
  name: string;
  imgSize: number;
  /** Energy per inference, any one unit shared by all candidates. */
  energy: number;
  top1: number;
}

/** True when `a` is at least as good as `b` on energy and accuracy. */
function dominates(a: WeightsCandidate, b: WeightsCandidate): boolean {
  return a.energy <= b.energy && a.top1 >= b.top1;
}

/**
 * Merges candidates that differ only by their weights (same architecture, same input size): within each
 * such group a candidate that another one matches or beats on both energy and accuracy is dropped, so V1
 * and V2 weights of one network become one suggestion, the better one. Weights that trade energy against
 * accuracy both stay (and are then told apart by their weights' names). Order is kept; `merged` maps each
 * survivor to the names of the candidates it absorbed.
 */
export function mergeWeightVariants<T>(
  items: readonly T[],
  candidate: (t: T) => WeightsCandidate,
): { kept: T[]; merged: Map<T, string[]> } {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const c = candidate(t);
    const key = `${splitWeights(c.name).architecture}@${c.imgSize}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const merged = new Map<T, string[]>();
  const dropped = new Set<T>();
  for (const group of groups.values()) {
    for (const [i, t] of group.entries()) {
      // The first in order of those that beat it absorbs it; of two equal candidates the first stays.
      const beats = (o: T, j: number) =>
        j !== i &&
        !dropped.has(o) &&
        dominates(candidate(o), candidate(t)) &&
        (j < i || !dominates(candidate(t), candidate(o)));
      const winner = group.find(beats);
      if (!winner) continue;
      dropped.add(t);
      merged.set(winner, [...(merged.get(winner) ?? []), candidate(t).name, ...(merged.get(t) ?? [])]);
      merged.delete(t);
    }
  }
  return { kept: items.filter((t) => !dropped.has(t)), merged };
}

/** Green rules whose fix only helps on a GPU: GL003 wraps inference in `torch.autocast("cuda")`. */
const GPU_ONLY_RULES = new Set(['GL003']);

/**
 * True when a finding's fix targets a GPU (its rule is GPU-only, or its edit writes `cuda`) while the
 * hardware the report is for is not a GPU: such a change cannot be run, let alone save energy, there.
 */
export function needsAbsentGpu(finding: Pick<ReportFinding, 'ruleId' | 'fix'>, deviceKind: 'cpu' | 'gpu'): boolean {
  if (deviceKind === 'gpu') return false;
  if (GPU_ONLY_RULES.has(finding.ruleId)) return true;
  return (finding.fix?.edits ?? []).some((e) => /["']cuda["']|\.cuda\(/.test(e.newText));
}

/**
 * The title of a catalog alternative, named by its weights when the name written in code does not say
 * them (`mobilenet_v3_large` with `IMAGENET1K_V2`), so two weights of one network never read the same.
 */
export function alternativeTitle(spelled: string | undefined, catalogName: string, current: string): string {
  const { weights } = splitWeights(catalogName);
  const name = spelled ?? catalogName;
  const named = weights && !name.includes(weights) ? `${name} (${weights} weights)` : name;
  return `Use ${named} instead of ${current}`;
}
