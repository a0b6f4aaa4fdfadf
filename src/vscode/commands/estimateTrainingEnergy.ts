/**
 * GreenLens: Estimate Training Energy — asks for the run (model, GPU, epochs, images) and shows the
 * PRE estimate with its band, CO2e and cost, beside the Green Algorithms and ML CO2 Impact baselines.
 * Callers (code lenses, tests) may pass the run as an argument to skip the questions.
 */
import * as vscode from 'vscode';
import type * as TrainingModule from '../../energy/training-estimate';
import type * as QuantityModule from '../../energy/quantity';
import type { TrainingEstimate, TrainingInput } from '../../energy/training-estimate';
import type { GreenLensContext } from '../context';

function isTrainingInput(v: unknown): v is TrainingInput {
  const o = v as Partial<TrainingInput> | undefined;
  return !!o && typeof o.arch === 'string' && typeof o.gpu === 'string' && typeof o.epochs === 'number' && typeof o.images === 'number';
}

async function ask(prompt: string, value: string, numeric: boolean): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'GreenLens: Estimate Training Energy', prompt, value, ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() ? 'Required' : numeric && !(Number(v) > 0) ? 'Enter a positive number' : undefined),
  });
}

async function askInput(): Promise<TrainingInput | undefined> {
  const arch = await ask('Model architecture (torchvision builder, timm name or Hugging Face id)', 'resnet50', false);
  if (!arch) return undefined;
  const gpu = await ask('GPU (as in the ML CO2 Impact table, e.g. RTX 3090, T4, A100)', 'RTX 3090', false);
  if (!gpu) return undefined;
  const epochs = await ask('Epochs', '30', true);
  if (!epochs) return undefined;
  const images = await ask('Images per epoch (training + validation)', '10000', true);
  if (!images) return undefined;
  return { arch: arch.trim(), gpu: gpu.trim(), epochs: Number(epochs), images: Number(images) };
}

function markdown(r: TrainingEstimate, q: typeof QuantityModule): string {
  const f = q.formatEstimate;
  return [
    `# Training energy estimate: ${r.model} on ${r.gpu.name}`, '',
    `${r.inputs.epochs} epochs × ${r.inputs.images} images, ${r.gflopsPerImage.toFixed(2)} GFLOPs per image (forward).`, '',
    '| figure | estimate | method |', '|---|---|---|',
    `| duration | ${f(r.duration)} | ${r.duration.method} |`,
    `| energy | ${f(q.convertEnergy(r.energy, 'kWh'))} | ${r.energy.method} |`,
    `| CO2e | ${f(r.co2)} | ${r.co2.method} |`,
    `| cost | ${f(r.cost)} | ${r.cost.method} |`,
    `| baseline: Green Algorithms | ${f(q.convertEnergy(r.baselines.greenAlgorithms, 'kWh'))} | ${r.baselines.greenAlgorithms.method} |`,
    `| baseline: ML CO2 Impact | ${f(q.convertEnergy(r.baselines.mlco2, 'kWh'))} | ${r.baselines.mlco2.method} |`,
    '', '## Sources', ...[...new Set([r.energy, r.co2, r.cost].flatMap((e) => e.sources))].map((s) => `- ${s}`),
    ...(r.notes.length ? ['', '## Notes', ...r.notes.map((n) => `- ${n}`)] : []), '',
  ].join('\n');
}

export function estimateTrainingEnergy(ctx: GreenLensContext) {
  return async (arg?: unknown): Promise<TrainingEstimate | undefined> => {
    const input = isTrainingInput(arg) ? arg : await askInput();
    if (!input) return undefined;
    // The estimator pulls in the model catalog: loaded on first use, not at activation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const training = require('../../energy/training-estimate') as typeof TrainingModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const quantity = require('../../energy/quantity') as typeof QuantityModule;
    let result: TrainingEstimate;
    try {
      result = training.estimateTraining(input, ctx.config.settings);
    } catch (err) {
      void vscode.window.showErrorMessage(`GreenLens: ${(err as Error).message}`);
      return undefined;
    }
    const md = markdown(result, quantity);
    ctx.log.info(md);
    if (!isTrainingInput(arg)) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
    }
    return result;
  };
}
