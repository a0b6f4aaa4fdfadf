/**
 * Generates the self-contained Python harness for one model site: a header in plain words (what it runs,
 * what it reads and writes), the configuration as JSON, and the fixed harness code. The same text is shown
 * to the user, saved on request and run. Pure.
 */
import { IMPORTS, CORE } from './harness/core';
import { MODELS } from './harness/models';
import { MEASURE } from './harness/measure';
import { PASSES } from './harness/passes';
import { VARIANTS } from './harness/variants';
import { HARNESS_PROTOCOL } from './protocol';
import { torchVariantLabel } from './spec';
import type { HarnessConfig } from './types';

/** A comment line that cannot end the comment or smuggle code: control characters become spaces. */
function comment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `# ${text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')}`.trimEnd();
}

function howBuilt(c: HarnessConfig): string[] {
  const s = c.site;
  switch (s.kind) {
    case 'torchvision':
      return [
        `It calls ${s.callee}(...) as line ${s.line} does, with the pretrained weights only when they`,
        'are already in the torch hub cache; otherwise with random weights, and the result says so.',
      ];
    case 'timm':
      return [
        `It calls timm.create_model("${s.modelId ?? ''}") as line ${s.line} does, with pretrained weights only when`,
        'they are in the local cache; otherwise with random weights, and the result says so.',
      ];
    case 'transformers':
      return [
        `It loads "${s.modelId ?? ''}" with ${s.callee} from the local Hugging Face cache only`,
        '(random weights from the cached config when the weights are missing; nothing is downloaded).',
      ];
    case 'module':
      return [
        `It IMPORTS ${s.file}: that file's top-level code runs, as when you import it`,
        '(its if __name__ == "__main__": block does not). Keep slow work such as training under that guard.',
        `It then takes the model from a module-level variable (${s.boundTo.join(', ') || 'none'}) when there is one, so your`,
        `weights are used; otherwise it instantiates ${s.className ?? s.label}(...) with random weights, and the result says so.`,
      ];
  }
}

/** The header: what the script does, reads and writes, in words. */
export function harnessHeader(c: HarnessConfig): string[] {
  const lines = [
    `GreenLens PyTorch profiling harness for ${c.site.label} at ${c.site.file}:${c.site.line}.`,
    '',
    'What it does',
    ...howBuilt(c).map((l) => `  ${l}`),
    `  Then it measures, on ${c.device === 'cuda' ? 'the GPU' : 'this CPU'}, under torch.no_grad():`,
    ...c.variants.map((v) => `    - ${v.id}: ${torchVariantLabel(v)}`),
    '  Each: build time, peak memory, and its outputs on ' +
      (c.dataset ? `the samples of ${c.dataset.dir}.` : 'random inputs.'),
    '  Then all of them, the baseline included, are timed together in randomized round-robin blocks, in passes that',
    `  build every variant again, until the intervals are within +-${c.targetCiPct} % or the ${Math.round(c.budgetMs / 1000)} s budget ends.`,
    'What it touches',
    `  It reads ${c.site.file} and never writes to it, nor to any file of yours.`,
    c.onnxExport ? `  It writes one file: the baseline exported to ONNX at ${c.onnxExport}.` : '  It writes no file.',
    '  It downloads nothing: attempts to download weights fail with a message.',
    ...(c.rapl.length ? [`  It reads the RAPL energy counters ${c.rapl.map((r) => r.file).join(', ')}.`] : []),
    'Output',
    `  One JSON object per line on stdout (GreenLens harness protocol ${HARNESS_PROTOCOL}); everything else goes to stderr.`,
    '  Run it yourself with the interpreter your code uses: python3 <this file>',
  ];
  return lines.map(comment);
}

/**
 * The configuration as a raw triple-quoted string of pretty-printed JSON. It cannot end early: JSON
 * escapes every quote inside strings as \" (so no unescaped """ appears) and no JSON line ends in a
 * backslash; json.loads then decodes JSON's own escapes, Windows paths included.
 */
export function configLiteral(c: HarnessConfig): string {
  return `CONFIG = json.loads(r"""\n${JSON.stringify(c, null, 2)}\n""")\n`;
}

/** The complete script. */
export function generateHarness(c: HarnessConfig): string {
  if (c.variants[0]?.kind !== 'baseline') throw new Error('the baseline must be the first variant');
  return [
    '#!/usr/bin/env python3',
    ...harnessHeader(c),
    IMPORTS,
    configLiteral(c),
    CORE,
    MODELS,
    MEASURE,
    PASSES,
    VARIANTS,
  ].join('\n');
}
