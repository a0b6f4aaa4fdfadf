/**
 * Which Python runs the user's code: the environment selected in the Python extension (ms-python.python)
 * through its public API when that extension is installed; else the `greenlens.pythonPath` setting; else
 * `python3` (`python` on Windows). The API is used through its documented shape
 * (`exports.environments.getActiveEnvironmentPath` / `resolveEnvironment`, as in @vscode/python-extension)
 * and checked at run time, so GreenLens needs no dependency on that package and survives its absence.
 */
import * as vscode from 'vscode';
import { timerDelay } from '../settings';

/** The interpreter to use and where that choice came from, for messages. */
export interface ResolvedInterpreter {
  path: string;
  source: 'python-extension' | 'setting' | 'default' | 'request';
  /** Why an earlier source was not used, when that is worth saying. */
  note?: string;
}

interface EnvironmentPath {
  path: string;
  id?: string;
}
interface ResolvedEnvironment {
  executable?: { uri?: vscode.Uri };
}
interface EnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(env: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
}

const PYTHON_EXTENSION = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 10_000;

function isEnvironmentsApi(v: unknown): v is EnvironmentsApi {
  const e = v as Partial<EnvironmentsApi> | undefined;
  return typeof e?.getActiveEnvironmentPath === 'function' && typeof e.resolveEnvironment === 'function';
}

function withTimeout<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), timerDelay(ms));
    }),
  ]);
}

/** The Python extension's selected interpreter for `resource`, or why there is none. */
async function fromPythonExtension(resource?: vscode.Uri): Promise<{ path?: string; note?: string }> {
  const ext = vscode.extensions.getExtension<{ environments?: unknown }>(PYTHON_EXTENSION);
  if (!ext) return {};
  try {
    const api = ext.isActive
      ? ext.exports
      : await withTimeout(ext.activate(), ACTIVATION_TIMEOUT_MS, 'the Python extension');
    if (!isEnvironmentsApi(api?.environments))
      return { note: 'the Python extension has no environments API (too old?)' };
    const envPath = api.environments.getActiveEnvironmentPath(resource);
    const env = await withTimeout(
      api.environments.resolveEnvironment(envPath),
      ACTIVATION_TIMEOUT_MS,
      'the Python extension',
    );
    const exe = env?.executable?.uri?.fsPath ?? envPath.path;
    return exe ? { path: exe } : { note: 'the Python extension has no interpreter selected' };
  } catch (err) {
    return { note: `the Python extension could not say which interpreter is selected: ${(err as Error).message}` };
  }
}

/** Expands `${workspaceFolder}` and `~` in a configured path. */
export function expandPythonPath(
  value: string,
  folder?: string,
  home = process.env.HOME ?? process.env.USERPROFILE ?? '',
): string {
  let v = value.trim();
  if (folder) v = v.replace(/\$\{workspaceFolder\}/g, folder);
  if (v === '~' || v.startsWith('~/')) v = home + v.slice(1);
  return v;
}

/** Resolves the interpreter for a file (its workspace folder decides the Python extension's choice). */
export async function resolvePythonInterpreter(resource?: vscode.Uri): Promise<ResolvedInterpreter> {
  const fromExt = await fromPythonExtension(resource);
  if (fromExt.path) return { path: fromExt.path, source: 'python-extension' };
  const folder = resource ? vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath : undefined;
  const setting = vscode.workspace.getConfiguration('greenlens', resource).get<unknown>('pythonPath');
  if (typeof setting === 'string' && setting.trim() !== '')
    return {
      path: expandPythonPath(setting, folder),
      source: 'setting',
      ...(fromExt.note ? { note: fromExt.note } : {}),
    };
  return {
    path: process.platform === 'win32' ? 'python' : 'python3',
    source: 'default',
    ...(fromExt.note ? { note: fromExt.note } : {}),
  };
}

/** Words for where the interpreter came from. */
export function describeInterpreter(i: ResolvedInterpreter): string {
  switch (i.source) {
    case 'python-extension':
      return `${i.path} (selected in the Python extension)`;
    case 'setting':
      return `${i.path} (greenlens.pythonPath)`;
    case 'request':
      return i.path;
    case 'default':
      return `${i.path} (the default; set greenlens.pythonPath or select an interpreter in the Python extension)`;
  }
}
