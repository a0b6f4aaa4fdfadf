/**
 * Inference rules: gradients kept alive (GL001), training-mode layers at inference (GL002), GPU fp32
 * without autocast (GL003), one sample per forward pass (GL004), Linear-heavy CPU inference without
 * dynamic quantization (GL009) and repeated inference without torch.compile (GL010).
 */
import type { ModelSite, InferenceCall } from '../types';
import { insertBefore, statementOf, torchName, WRAPPABLE, wrapInWith } from './edits';
import type { RawFinding, Rule, RuleContext } from './types';

/** Frameworks whose models are torch modules that the user runs forward directly. */
const TORCH_MODELS = new Set(['torchvision', 'timm', 'transformers', 'torch.hub', 'torch']);

function isTorchModel(site: ModelSite | undefined): site is ModelSite {
  return site !== undefined && TORCH_MODELS.has(site.framework) && site.kind !== 'pipeline';
}

/** Forward passes of torch models (`model(x)` or `model.forward(x)`), with their call facts. */
function torchForwards(ctx: RuleContext): { call: InferenceCall; index: number; site: ModelSite }[] {
  const out: { call: InferenceCall; index: number; site: ModelSite }[] = [];
  ctx.inference.calls.forEach((call, index) => {
    const site = ctx.table.sites[call.site];
    if (isTorchModel(site) && (call.method === 'call' || call.method === 'forward')) out.push({ call, index, site });
  });
  return out;
}

/** The first forward of each site, so that per-model rules report once per model. */
function firstPerSite<T extends { call: InferenceCall }>(items: T[]): T[] {
  const seen = new Set<number>();
  return items.filter((i) => !seen.has(i.call.site) && seen.add(i.call.site) !== undefined);
}

const noGrad: Rule = {
  id: 'GL001',
  title: 'Inference without torch.no_grad() or torch.inference_mode()',
  defaultSeverity: 'information',
  check(ctx) {
    return torchForwards(ctx)
      .filter((f) => !f.call.inNoGrad)
      .map(({ call, index }): RawFinding => {
        const node = ctx.inference.nodes[index]?.call.node;
        const stmt = node ? statementOf(ctx.source, node, WRAPPABLE) : undefined;
        const torch = torchName(ctx.facts.imports, ctx.root);
        const finding: RawFinding = {
          ruleId: 'GL001',
          range: call.range,
          site: call.site,
          message: `\`${call.receiver}\` runs outside torch.inference_mode(): autograd records every operation and keeps activations alive, costing memory and time for gradients nobody uses.`,
        };
        if (stmt)
          finding.fix = {
            title: `Wrap in \`with ${torch.name}.inference_mode():\``,
            edits: [
              ...(torch.edit ? [torch.edit] : []),
              wrapInWith(ctx.source, stmt, `${torch.name}.inference_mode()`),
            ],
          };
        return finding;
      });
  },
};

const evalMode: Rule = {
  id: 'GL002',
  title: 'Inference without model.eval()',
  defaultSeverity: 'information',
  check(ctx) {
    // from_pretrained and torch.jit.load return models that are already in eval mode.
    const forwards = torchForwards(ctx).filter(
      ({ site }) =>
        !site.context.evalCalled &&
        site.callee.endsWith('.from_pretrained') === false &&
        site.callee !== 'torch.jit.load',
    );
    return firstPerSite(forwards).map(({ call, index }): RawFinding => {
      const node = ctx.inference.nodes[index]?.call.node;
      const stmt = node ? statementOf(ctx.source, node) : undefined;
      const finding: RawFinding = {
        ruleId: 'GL002',
        range: call.range,
        site: call.site,
        message: `\`${call.receiver}\` is never put in eval mode: dropout stays active and batch norm keeps updating its statistics, so results change from call to call.`,
      };
      if (stmt)
        finding.fix = {
          title: `Insert \`${call.receiver}.eval()\``,
          edits: [insertBefore(stmt, `${call.receiver}.eval()`)],
        };
      return finding;
    });
  },
};

const autocast: Rule = {
  id: 'GL003',
  title: 'GPU inference or training in fp32 without autocast',
  defaultSeverity: 'hint',
  check(ctx) {
    const fp32 = (s: ModelSite): boolean =>
      s.context.device === 'cuda' && (!s.context.dtype || /float32/.test(s.context.dtype)) && !s.context.quantized;
    const forwards = torchForwards(ctx).filter(({ call, site }) => fp32(site) && !call.inAutocast);
    const out = firstPerSite(forwards).map(({ call, index }): RawFinding => {
      const node = ctx.inference.nodes[index]?.call.node;
      const stmt = node ? statementOf(ctx.source, node, WRAPPABLE) : undefined;
      const torch = torchName(ctx.facts.imports, ctx.root);
      const finding: RawFinding = {
        ruleId: 'GL003',
        range: call.range,
        site: call.site,
        message: `\`${call.receiver}\` runs in fp32 on the GPU: torch.autocast runs matmuls and convolutions in fp16/bf16 on tensor cores, usually with far less time and energy.`,
      };
      if (stmt) {
        const head = `${torch.name}.autocast(device_type="cuda", dtype=${torch.name}.float16)`;
        finding.fix = {
          title: 'Wrap in `with torch.autocast("cuda"):`',
          edits: [...(torch.edit ? [torch.edit] : []), wrapInWith(ctx.source, stmt, head)],
        };
      }
      return finding;
    });
    for (const loop of ctx.training.loops) {
      if (loop.kind !== 'loop' || loop.device !== 'cuda' || loop.usesAutocast) continue;
      const site = loop.site === undefined ? undefined : ctx.table.sites[loop.site];
      if (site && !fp32(site)) continue;
      out.push({
        ruleId: 'GL003',
        range: loop.header ?? loop.range,
        site: loop.site,
        message:
          'This training loop runs in fp32 on the GPU: mixed precision (torch.autocast with a GradScaler) usually cuts training time and energy.',
      });
    }
    return out;
  },
};

const perSample: Rule = {
  id: 'GL004',
  title: 'Per-sample inference in a Python loop',
  defaultSeverity: 'information',
  check(ctx) {
    return ctx.inference.calls
      .filter((c) => c.perSample)
      .map((call): RawFinding => ({
        ruleId: 'GL004',
        range: call.range,
        site: call.site,
        message: `\`${call.receiver}\` is called once per sample inside a loop: batching the samples lets one call use the hardware fully, at a fraction of the energy per sample.`,
      }));
  },
};

/** True for models whose compute is mostly matrix multiplies in Linear layers (text transformers, MLPs). */
function linearHeavy(ctx: RuleContext, site: ModelSite): boolean {
  if (site.framework === 'torch' && site.modelId) return ctx.table.userClasses.get(site.modelId)?.linearHeavy === true;
  if (site.framework === 'sentence-transformers') return true;
  if (site.framework !== 'transformers') return false;
  // Vision transformers gained nothing from dynamic quantization in our measurements (0.82x on ViT-B/16).
  const vision = /Image|Vision|ViT|Detr|Segformer|Conv|Video|Audio|Speech|Whisper|Wav2Vec/i;
  return (
    !vision.test(site.callee) &&
    !vision.test(site.modelId ?? '') &&
    !/image|vision|object|audio|speech/i.test(String(site.args['0'] ?? ''))
  );
}

const quantize: Rule = {
  id: 'GL009',
  title: 'Linear-heavy CPU inference without dynamic quantization',
  defaultSeverity: 'hint',
  check(ctx) {
    const hits = ctx.inference.calls.filter((call) => {
      const site = ctx.table.sites[call.site];
      return site !== undefined && site.context.device === 'cpu' && !site.context.quantized && linearHeavy(ctx, site);
    });
    return firstPerSite(hits.map((call) => ({ call }))).map(({ call }): RawFinding => ({
      ruleId: 'GL009',
      range: call.range,
      site: call.site,
      message: `\`${call.receiver}\` is a Linear-heavy model run on the CPU without dynamic quantization: int8 Linear layers were about 2x faster at about half the energy in the study, at some accuracy cost to measure.`,
    }));
  },
};

const compile: Rule = {
  id: 'GL010',
  title: 'Repeated inference without torch.compile',
  defaultSeverity: 'hint',
  check(ctx) {
    const major = ctx.torchVersion ? Number.parseInt(ctx.torchVersion, 10) : NaN;
    if (major < 2) return [];
    const forwards = torchForwards(ctx).filter(
      ({ call, site }) => call.inLoop && !site.context.compiled && !site.context.quantized,
    );
    return firstPerSite(forwards).map(({ call, index }): RawFinding => {
      const finding: RawFinding = {
        ruleId: 'GL010',
        range: call.range,
        site: call.site,
        message: `\`${call.receiver}\` runs forward repeatedly without torch.compile: compiled graphs fuse kernels and cut Python overhead on every call after the first.`,
      };
      const loop = outermostLoopStatement(ctx, index);
      // Assigning a global inside a function would make it local there, so only fix at module level or on `self.`.
      if (loop && (loop.atModule || call.receiver.startsWith('self.'))) {
        const torch = torchName(ctx.facts.imports, ctx.root);
        finding.fix = {
          title: `Compile \`${call.receiver}\` before the loop`,
          edits: [
            ...(torch.edit ? [torch.edit] : []),
            insertBefore(loop.stmt, `${call.receiver} = ${torch.name}.compile(${call.receiver})`),
          ],
        };
      }
      return finding;
    });
  },
};

/** The outermost loop statement around an inference call, when it starts its own line. */
function outermostLoopStatement(
  ctx: RuleContext,
  index: number,
): { stmt: NonNullable<ReturnType<typeof statementOf>>; atModule: boolean } | undefined {
  const loop = ctx.inference.nodes[index]?.scope.loops.at(-1);
  if (!loop) return undefined;
  const stmt = statementOf(ctx.source, loop);
  return stmt ? { stmt, atModule: stmt.node.parent?.type === 'module' } : undefined;
}

/** The inference rules in id order. */
export const INFERENCE_RULES: Rule[] = [noGrad, evalMode, autocast, perSample, quantize, compile];
