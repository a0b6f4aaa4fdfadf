/** Variant specs of the PyTorch profiler: parsing, defaults and labels. Pure. */
import type { TorchVariantKind, TorchVariantSpec } from './types';

/** The study's tactics plus half precision; the baseline is always measured first. */
export const DEFAULT_TORCH_VARIANTS = 'int8-dynamic,torch-compile,prune-local:0.5,prune-global:0.5,fp16,bf16';

/** The forms `--variants` accepts, for usage messages. */
export const TORCH_VARIANT_FORMS = ['int8-dynamic', 'torch-compile', 'prune-local:S', 'prune-global:S', 'fp16', 'bf16'];

const SIMPLE: readonly TorchVariantKind[] = ['baseline', 'int8-dynamic', 'torch-compile', 'fp16', 'bf16'];

export class TorchVariantSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchVariantSpecError';
  }
}

/** Parses one spec: a kind, or `prune-local:S` / `prune-global:S` with S in (0, 1) (default 0.5). */
export function parseTorchVariant(text: string): TorchVariantSpec {
  const t = text.trim().toLowerCase();
  if ((SIMPLE as readonly string[]).includes(t)) return { id: t, kind: t as TorchVariantKind };
  const m = /^(prune-local|prune-global)(?::(\d*\.?\d+))?$/.exec(t);
  if (m) {
    const sparsity = m[2] === undefined ? 0.5 : Number(m[2]);
    if (!(sparsity > 0 && sparsity < 1))
      throw new TorchVariantSpecError(`${m[1]} needs a sparsity between 0 and 1, got ${m[2]}`);
    return { id: `${m[1]}:${sparsity}`, kind: m[1] as TorchVariantKind, sparsity };
  }
  throw new TorchVariantSpecError(`unknown variant "${text.trim()}"; use ${TORCH_VARIANT_FORMS.join(', ')}`);
}

/** Parses a comma-separated list; the baseline comes first, duplicates are dropped. */
export function parseTorchVariantList(text: string): TorchVariantSpec[] {
  const out: TorchVariantSpec[] = [{ id: 'baseline', kind: 'baseline' }];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const v = parseTorchVariant(part);
    if (!out.some((o) => o.id === v.id)) out.push(v);
  }
  return out;
}

/** Words for a variant. */
export function torchVariantLabel(v: TorchVariantSpec): string {
  switch (v.kind) {
    case 'baseline':
      return 'fp32 baseline';
    case 'int8-dynamic':
      return 'dynamic quantization (Linear, qint8)';
    case 'torch-compile':
      return 'torch.compile';
    case 'prune-local':
      return `local magnitude pruning ${Math.round((v.sparsity ?? 0.5) * 100)} %`;
    case 'prune-global':
      return `global magnitude pruning ${Math.round((v.sparsity ?? 0.5) * 100)} %`;
    case 'fp16':
      return 'fp16 weights and activations';
    case 'bf16':
      return 'bf16 weights and activations';
  }
}
