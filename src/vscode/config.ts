/**
 * Reads the `greenlens` configuration section into the pure Settings type and reports bad values. The
 * repository's own configuration (greenlens.json or [tool.greenlens] in pyproject.toml, shared with the
 * CLI) sits between the user's global settings and the workspace's: a value set for this workspace or
 * folder wins, then the repository's, then the user's global one, then the default.
 */
import * as vscode from 'vscode';
import { sanitizeSettings, SETTING_KEYS, type Settings, type SanitizedSettings } from '../settings';
import { layeredValue, readRepoConfig, type RepoConfig } from '../repository/repoConfig';

export const SECTION = 'greenlens';

/** The first workspace folder's repository configuration; a broken file is a problem, not a crash. */
function repoConfig(): { config: RepoConfig; problem?: string } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return { config: { raw: {} } };
  try {
    return { config: readRepoConfig(folder.uri.fsPath) };
  } catch (err) {
    return { config: { raw: {} }, problem: (err as Error).message };
  }
}

export function readSettings(scope?: vscode.ConfigurationScope): SanitizedSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const { config, problem } = repoConfig();
  const raw: Record<string, unknown> = {};
  for (const key of Object.values(SETTING_KEYS))
    raw[key] = layeredValue(key, cfg.inspect(key), config.raw) ?? cfg.get(key);
  const names = (key: string): string =>
    key in config.raw && config.source ? `${config.source}: ${key}` : `greenlens.${key}`;
  const result = sanitizeSettings(raw, names);
  if (problem) result.problems.push({ key: 'repository', message: problem });
  return result;
}

/** Holds the current settings; tells the user once per distinct bad value; notifies listeners on change. */
export class SettingsStore implements vscode.Disposable {
  private current: Settings;
  private readonly shown = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<Settings>();
  private readonly sub: vscode.Disposable;
  private readonly watcher: vscode.FileSystemWatcher | undefined;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.load();
    const reload = (): void => {
      this.current = this.load();
      this.emitter.fire(this.current);
    };
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) reload();
    });
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      this.watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(folder, '{greenlens.json,pyproject.toml}'),
      );
      this.watcher.onDidChange(reload);
      this.watcher.onDidCreate(reload);
      this.watcher.onDidDelete(reload);
    }
  }

  get settings(): Settings {
    return this.current;
  }

  private load(): Settings {
    const { settings, problems } = readSettings();
    for (const p of problems) {
      this.log.warn(p.message);
      if (!this.shown.has(p.message)) {
        this.shown.add(p.message);
        void vscode.window.showWarningMessage(`GreenLens: ${p.message}`);
      }
    }
    return settings;
  }

  dispose(): void {
    this.sub.dispose();
    this.watcher?.dispose();
    this.emitter.dispose();
  }
}
