/** Reads the `greenlens` configuration section into the pure Settings type and reports bad values. */
import * as vscode from 'vscode';
import { sanitizeSettings, SETTING_KEYS, type Settings, type SanitizedSettings } from '../settings';

export const SECTION = 'greenlens';

export function readSettings(scope?: vscode.ConfigurationScope): SanitizedSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const raw: Record<string, unknown> = {};
  for (const key of Object.values(SETTING_KEYS)) raw[key] = cfg.get(key);
  return sanitizeSettings(raw);
}

/** Holds the current settings; tells the user once per distinct bad value; notifies listeners on change. */
export class SettingsStore implements vscode.Disposable {
  private current: Settings;
  private readonly shown = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<Settings>();
  private readonly sub: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.load();
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.current = this.load();
      this.emitter.fire(this.current);
    });
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
    this.emitter.dispose();
  }
}
