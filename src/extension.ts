/**
 * Composition root: activate() builds one context object, registers the features, and every disposable
 * goes through it. Heavy modules (onnxruntime-node, the tree-sitter WASM) are loaded on first use, not here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SettingsStore } from './vscode/config';
import type { GreenLensContext } from './vscode/context';
import { registerCommands } from './vscode/commands/index';
import { registerFeatures } from './vscode/features';
import { sidebarApi, type SidebarApi } from './vscode/sidebar/index';
import { reportApi, type ReportApi } from './vscode/report/index';

/** What the extension exports to other extensions and to its own integration tests. */
export interface GreenLensApi {
  /** The extension's own activation cost: evaluating its bundle plus running activate(), in ms. */
  readonly activationMs: number;
  /** Milliseconds spent inside activate() alone. */
  readonly activateBodyMs: number;
  /** Milliseconds spent evaluating the bundle (module load). */
  readonly moduleLoadMs: number;
  /** The report panel's message handler and state, for the integration tests. */
  readonly report: ReportApi;
  /** The side bar's Models tree rows and Overview selection, for the integration tests. */
  readonly models: SidebarApi;
}

declare const globalThis: { __greenlensLoadStart?: number; __greenlensLoadEnd?: number };

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
    registerFeatures(ctx);
    const end = performance.now();
    const moduleLoadMs = Math.max(0, (globalThis.__greenlensLoadEnd ?? t0) - (globalThis.__greenlensLoadStart ?? t0));
    const api: GreenLensApi = { activationMs: moduleLoadMs + (end - t0), activateBodyMs: end - t0, moduleLoadMs, report: reportApi(ctx), models: sidebarApi() };
    log.info(`GreenLens activated in ${api.activationMs.toFixed(1)} ms (module load ${moduleLoadMs.toFixed(1)} ms, activate ${api.activateBodyMs.toFixed(1)} ms)`);
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
