/**
 * GreenLens: Profile PyTorch Model… — measures dynamic quantization, torch.compile, local and global
 * pruning and fp16/bf16 on a model site in the user's own Python. Trusted workspaces only: it runs the
 * user's interpreter and, for their own nn.Modules, imports their file. The generated script is shown
 * before its first run and can be saved; it runs as a child process with a time limit and Cancel, and
 * writes only to GreenLens's storage.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSite } from '../../analyzers/python/types';
import type * as TorchProfiler from '../../profiler/torch/index';
import type { PreparedHarness, TorchProfileResult } from '../../profiler/torch/index';
import type { GreenLensContext } from '../context';
import { chooseProfileInputs } from '../datasetPicker';
import { LatestRun } from '../latestRun';
import { lazyModules } from '../lazyModules';
import { describeInterpreter, resolvePythonInterpreter, type ResolvedInterpreter } from '../pythonInterpreter';
import { Commands } from './ids';

/** What code lenses and tests pass instead of answering questions. */
export interface TorchProfileRequest {
  uri: vscode.Uri;
  /** The site as the analyzer found it (lenses), or a 1-based line to find it at. */
  site?: ModelSite;
  line?: number;
  pythonPath?: string;
  /** A dataset folder, or null for random inputs; asked for when undefined. */
  datasetDir?: string | null;
  budgetSeconds?: number;
  timeoutSeconds?: number;
  variants?: string;
  shape?: number[];
  onnxExport?: boolean;
  /** Skips showing the script (tests; the command palette and lenses always show it before a first run). */
  confirmed?: boolean;
}

const APPROVED_KEY = 'greenlens.torch.approvedScripts';

function isRequest(v: unknown): v is TorchProfileRequest {
  return typeof v === 'object' && v !== null && (v as TorchProfileRequest).uri instanceof vscode.Uri;
}

/** Loaded on first use: neither the analyzer nor the profiler is needed to activate. */
const torch = lazyModules.torchProfiler;

async function siteAt(ctx: GreenLensContext, doc: vscode.TextDocument, line: number): Promise<ModelSite | string> {
  const py = lazyModules.pythonAnalyzer();
  await py.loadPythonGrammar(ctx.asset('dist'));
  const sites = py.analyzePython(doc.getText(), { file: doc.uri.fsPath }).sites;
  const picked = torch().pickSite(sites, line);
  return 'error' in picked ? picked.error : sites[picked.index]!;
}

/** The request from a lens or test, or one built from the active editor's cursor. */
async function requestOf(arg: unknown): Promise<TorchProfileRequest | undefined> {
  if (isRequest(arg)) return arg;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage(
      'GreenLens: put the cursor on a model in a Python file (or use the Profile lens above it).',
    );
    return undefined;
  }
  return { uri: editor.document.uri, line: editor.selection.active.line + 1 };
}

function chooseInputs(file: vscode.Uri): Promise<string | null | undefined> {
  return chooseProfileInputs(
    file,
    `Profile ${path.basename(file.fsPath)} with PyTorch: inputs`,
    'shaped like the model’s first layer, or greenlens.torch.inputShape',
  );
}

/** Parses the greenlens.torch.inputShape setting (`1,784`); a bad value is reported and ignored. */
function shapeSetting(ctx: GreenLensContext, uri: vscode.Uri): number[] | undefined {
  const raw = vscode.workspace.getConfiguration('greenlens', uri).get<unknown>('torch.inputShape');
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const dims = raw.split(/[,x×]/).map((d) => Number(d.trim()));
  if (dims.every((d) => Number.isInteger(d) && d > 0)) return dims;
  ctx.log.warn(
    `greenlens.torch.inputShape "${raw}" is not a list of positive integers such as 1,784; the shape is inferred instead.`,
  );
  return undefined;
}

async function saveScript(p: PreparedHarness, near: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(near)?.uri ?? vscode.Uri.file(path.dirname(near.fsPath));
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, path.basename(p.scriptPath)),
    filters: { Python: ['py'] },
    saveLabel: 'Save Harness',
  });
  if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(p.script, 'utf8'));
}

/**
 * Shows the script and asks before its first run; a script the user approved before (same text) runs
 * without asking again.
 */
async function approve(
  ctx: GreenLensContext,
  p: PreparedHarness,
  uri: vscode.Uri,
  python: ResolvedInterpreter,
): Promise<boolean> {
  const digest = createHash('sha256').update(p.script).digest('hex');
  const approved = ctx.extension.globalState.get<string[]>(APPROVED_KEY) ?? [];
  if (approved.includes(digest)) return true;
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content: p.script });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  const imports =
    p.config.site.kind === 'module'
      ? ` It imports ${path.basename(uri.fsPath)}, so that file's top-level code runs (not its __main__ block).`
      : '';
  for (;;) {
    const choice = await vscode.window.showWarningMessage(
      `Run this profiling script with ${describeInterpreter(python)}?`,
      {
        modal: true,
        detail: `The script beside this message builds ${p.config.site.label} and measures its variants for about ${Math.round(p.config.budgetMs / 1000)} s.${imports} It writes nothing to your files.`,
      },
      'Run',
      'Save Script…',
    );
    if (choice === 'Save Script…') {
      await saveScript(p, uri);
      continue;
    }
    if (choice !== 'Run') return false;
    await ctx.extension.globalState.update(APPROVED_KEY, [...approved, digest].slice(-100));
    return true;
  }
}

function report(ctx: GreenLensContext, result: TorchProfileResult, name: string): void {
  ctx.log.info(`PyTorch profile of ${result.site.file}:${result.site.line}\n${torch().formatTorchProfile(result)}`);
  const measured = result.variants.filter((v) => v.status === 'measured').length;
  const actions = [
    'Show details',
    ...(result.onnxExport && 'path' in result.onnxExport ? ['Profile ONNX export'] : []),
  ];
  void vscode.window
    .showInformationMessage(
      `GreenLens: ${name} profiled with PyTorch, ${measured} of ${result.variants.length} variants measured.`,
      ...actions,
    )
    .then((choice) => {
      if (choice === 'Show details') ctx.log.show(true);
      else if (choice === 'Profile ONNX export' && result.onnxExport && 'path' in result.onnxExport) {
        void vscode.commands.executeCommand(Commands.profileOnnxModel, vscode.Uri.file(result.onnxExport.path));
      }
    });
}

function reportError(ctx: GreenLensContext, err: unknown, name: string, aborted: boolean): void {
  const e = err as TorchProfiler.TorchProfileError;
  ctx.log.warn(
    `Profiling ${name} with PyTorch ended: ${e.message}${e.details?.stderrTail ? `\nPython's last output:\n${e.details.stderrTail.trim().split('\n').slice(-20).join('\n')}` : ''}${e.details?.scriptPath ? `\nScript: ${e.details.scriptPath}` : ''}`,
  );
  if (aborted || e.code === 'cancelled') return;
  void vscode.window.showErrorMessage(`GreenLens: ${e.message}`, 'Show output').then((c) => {
    if (c) ctx.log.show(true);
  });
}

export function profileTorchModel(ctx: GreenLensContext) {
  const runs = new LatestRun();
  ctx.push(runs);
  return async (arg?: unknown): Promise<TorchProfileResult | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'GreenLens profiles PyTorch models only in trusted workspaces, because it runs your Python and imports your code.',
      );
      return undefined;
    }
    const request = await requestOf(arg);
    if (!request) return undefined;
    const doc = await vscode.workspace.openTextDocument(request.uri);
    const found = request.site ?? (await siteAt(ctx, doc, request.line ?? 1));
    if (typeof found === 'string') {
      void vscode.window.showInformationMessage(`GreenLens: ${found}.`);
      return undefined;
    }
    const profiler = torch();
    let site;
    try {
      site = profiler.torchSiteOf(found, request.uri.fsPath);
    } catch (e) {
      void vscode.window.showInformationMessage(
        `${(e as Error).message} Export it to ONNX (torch.onnx.export) and use Profile ONNX Model instead.`,
      );
      return undefined;
    }
    const python: ResolvedInterpreter = request.pythonPath
      ? { path: request.pythonPath, source: 'request' }
      : await resolvePythonInterpreter(request.uri);
    if (python.note) ctx.log.info(`Python interpreter: ${python.note}`);
    const datasetDir = request.datasetDir !== undefined ? request.datasetDir : await chooseInputs(request.uri);
    if (datasetDir === undefined) return undefined;
    const storage = path.join(ctx.extension.globalStorageUri.fsPath, 'torch');
    const budgetSeconds = request.budgetSeconds ?? ctx.config.settings.profilingBudgetSeconds;
    const shape = request.shape ?? shapeSetting(ctx, request.uri);
    const folder = vscode.workspace.getWorkspaceFolder(request.uri)?.uri.fsPath;
    const opts: TorchProfiler.TorchProfileOptions = {
      site,
      python: python.path,
      storageDir: storage,
      cwd: folder ?? path.dirname(request.uri.fsPath),
      budgetMs: budgetSeconds * 1000,
      ...(request.timeoutSeconds ? { timeoutMs: request.timeoutSeconds * 1000 } : {}),
      ...(datasetDir ? { datasetDir } : {}),
      ...(request.variants ? { variants: request.variants } : {}),
      ...(shape ? { shape } : {}),
      onnxExport: request.onnxExport ?? true,
    };
    const prepared = profiler.prepareTorchProfile(opts);
    if (!request.confirmed && !(await approve(ctx, prepared, request.uri, python))) return undefined;
    const abort = runs.start('A newer profiling run replaced this one.');
    const name = `${site.label} (${path.basename(request.uri.fsPath)}:${site.line})`;
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `GreenLens: profiling ${name} with PyTorch`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort(new Error('Profiling was cancelled.')));
        let total = 1;
        try {
          const result = await profiler.profileTorch(
            {
              ...opts,
              signal: abort.signal,
              onProgress: (p) => {
                if (p.type === 'run-started') total = p.total;
                else if (p.type === 'environment')
                  progress.report({
                    message: `Python ${p.environment.python}, torch ${p.environment.torch}: building the model`,
                  });
                else if (p.type === 'variant-started')
                  progress.report({ message: `${p.index + 1}/${p.total} ${p.label}`, increment: 100 / total });
                else if (p.type === 'variant-phase')
                  progress.report({
                    message: `${p.id}: ${p.phase}${p.ciPct !== undefined ? ` (±${p.ciPct.toFixed(1)} %)` : ''}`,
                  });
              },
            },
            prepared,
          );
          report(ctx, result, name);
          return result;
        } catch (err) {
          reportError(ctx, err, name, abort.signal.aborted);
          return undefined;
        } finally {
          runs.finished(abort);
        }
      },
    );
  };
}
