/**
 * GreenLens: Estimate Training Energy — asks for the run (model, GPU, GPU count, precision, batch,
 * epochs, images) and shows the estimate with its band, physical bound, scope, CO2e and cost.
 * Callers (code lenses, tests) may pass the run as an argument to skip the questions.
 */
import * as vscode from 'vscode';
import type { TrainingEstimate, TrainingInput } from '../../catalog/training-estimate';
import type { TrainingPrecision } from '../../energy/gpu-specs';
import type { GreenLensContext } from '../context';
import { lazyModules } from '../lazyModules';

function isTrainingInput(v: unknown): v is TrainingInput {
  const o = v as Partial<TrainingInput> | undefined;
  return (
    !!o &&
    typeof o.arch === 'string' &&
    typeof o.gpu === 'string' &&
    typeof o.epochs === 'number' &&
    typeof o.images === 'number'
  );
}

async function ask(prompt: string, value: string, numeric: boolean): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'GreenLens: Estimate Training Energy',
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) =>
      !v.trim() ? 'Required' : numeric && !(Number(v) > 0) ? 'Enter a positive number' : undefined,
  });
}

const PRECISIONS: readonly TrainingPrecision[] = ['fp32', 'tf32', 'amp', 'bf16'];

async function askScope(): Promise<Pick<TrainingInput, 'gpus' | 'precision' | 'batch'> | undefined> {
  const gpus = await ask('Number of GPUs (data parallel)', '1', true);
  if (!gpus) return undefined;
  const precision = await vscode.window.showQuickPick([...PRECISIONS], {
    title: 'GreenLens: Estimate Training Energy',
    placeHolder: 'Numerical precision (amp = fp16 mixed precision)',
    ignoreFocusOut: true,
  });
  if (!precision) return undefined;
  const batch = await ask('Batch size per GPU', '32', true);
  if (!batch) return undefined;
  return { gpus: Number(gpus), precision: precision as TrainingPrecision, batch: Number(batch) };
}

async function askInput(): Promise<TrainingInput | undefined> {
  const arch = await ask('Model architecture (torchvision builder, timm name or Hugging Face id)', 'resnet50', false);
  if (!arch) return undefined;
  const gpu = await ask('GPU (e.g. A100, A100 40GB PCIe, H100 SXM, V100, L4, T4, RTX 3090, RTX 4090)', 'A100', false);
  if (!gpu) return undefined;
  const scope = await askScope();
  if (!scope) return undefined;
  const epochs = await ask('Epochs', '30', true);
  if (!epochs) return undefined;
  const images = await ask('Images per epoch (training + validation)', '10000', true);
  if (!images) return undefined;
  return { arch: arch.trim(), gpu: gpu.trim(), epochs: Number(epochs), images: Number(images), ...scope };
}

export function estimateTrainingEnergy(ctx: GreenLensContext) {
  return async (arg?: unknown): Promise<TrainingEstimate | undefined> => {
    const input = isTrainingInput(arg) ? arg : await askInput();
    if (!input) return undefined;
    // The estimator pulls in the model catalog: loaded on first use, not at activation.
    const training = lazyModules.trainingEstimate();
    const format = lazyModules.trainingFormat();
    let result: TrainingEstimate;
    try {
      result = training.estimateTraining(input, ctx.config.settings);
    } catch (err) {
      void vscode.window.showErrorMessage(`GreenLens: ${(err as Error).message}`);
      return undefined;
    }
    const md = format.formatTrainingMarkdown(result);
    ctx.log.info(md);
    if (!isTrainingInput(arg)) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
      await vscode.commands
        .executeCommand('markdown.showPreview', doc.uri)
        .then(undefined, () => vscode.window.showTextDocument(doc));
    }
    return result;
  };
}
