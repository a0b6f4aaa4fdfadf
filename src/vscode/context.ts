/** The one context object that activate() builds and every feature receives. */
import type * as vscode from 'vscode';
import type { SettingsStore } from './config';

export interface GreenLensContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly config: SettingsStore;
  /** Registers a disposable for deactivation (every feature goes through here). */
  push(...disposables: vscode.Disposable[]): void;
  /** Absolute path of a file shipped with the extension (dist/, media/). */
  asset(...segments: string[]): string;
}
