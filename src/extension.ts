/**
 * Composition root: activate() builds one context object, registers the features, and every disposable
 * goes through it. Heavy modules (onnxruntime-node, the tree-sitter WASM) are loaded on first use, not here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SettingsStore } from './vscode/config';
import type { GreenLensContext } from './vscode/context';
import { registerCommands } from './vscode/commands/index';

/** What the extension exports to other extensions and to its own integration tests. */
export interface GreenLensApi {
  /** Milliseconds from the start of this bundle's evaluation to the end of activate(). */
  readonly activationMs: number;
  /** Milliseconds spent inside activate() alone. */
  readonly activateBodyMs: number;
}

declare const globalThis: { __greenlensLoadStart?: number };

export function activate(extension: vscode.ExtensionContext): GreenLensApi | undefined {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('GreenLens', { log: true });
  extension.subscriptions.push(log);
  try {
    const config = new SettingsStore(log);
    const ctx: GreenLensContext = {
      extension,
      log,
      config,
      push: (...d) => extension.subscriptions.push(...d),
      asset: (...segments) => path.join(extension.extensionPath, ...segments),
    };
    ctx.push(config);
    registerCommands(ctx);
    const end = performance.now();
    const api: GreenLensApi = { activationMs: end - (globalThis.__greenlensLoadStart ?? t0), activateBodyMs: end - t0 };
    log.info(`GreenLens activated in ${api.activationMs.toFixed(1)} ms (activate body ${api.activateBodyMs.toFixed(1)} ms)`);
    return api;
  } catch (err) {
    // Show activation failures ourselves: VS Code only logs them.
    log.error(`Activation failed: ${(err as Error).stack ?? String(err)}`);
    void vscode.window.showErrorMessage(`GreenLens failed to start: ${(err as Error).message}. See the GreenLens output channel.`);
    return undefined;
  }
}

export function deactivate(): void {
  // Every resource is a disposable registered on the context; VS Code disposes them.
}
