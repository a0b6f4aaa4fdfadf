/**
 * Composition root: activate() builds one context object, registers the commands and features on it, and
 * hands it to VS Code, which disposes it (and with it everything it holds) on deactivation. Heavy modules
 * (onnxruntime-node, the tree-sitter WASM) are loaded on first use, not here.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './vscode/commands/index';
import { GreenLensContext } from './vscode/context';
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
  try {
    const ctx = new GreenLensContext(extension, log);
    extension.subscriptions.push(ctx);
    ctx.registerCommands(COMMANDS);
    registerFeatures(ctx);
    const end = performance.now();
    const moduleLoadMs = Math.max(0, (globalThis.__greenlensLoadEnd ?? t0) - (globalThis.__greenlensLoadStart ?? t0));
    const api: GreenLensApi = {
      activationMs: moduleLoadMs + (end - t0),
      activateBodyMs: end - t0,
      moduleLoadMs,
      report: reportApi(ctx),
      models: sidebarApi(ctx),
    };
    log.info(
      `GreenLens activated in ${api.activationMs.toFixed(1)} ms (module load ${moduleLoadMs.toFixed(1)} ms, activate ${api.activateBodyMs.toFixed(1)} ms)`,
    );
    return api;
  } catch (err) {
    // The channel stays for the message below; the context may not have taken it over.
    extension.subscriptions.push(log);
    // Show activation failures ourselves: VS Code only logs them.
    log.error(`Activation failed: ${(err as Error).stack ?? String(err)}`);
    void vscode.window.showErrorMessage(
      `GreenLens failed to start: ${(err as Error).message}. See the GreenLens output channel.`,
    );
    return undefined;
  }
}

export function deactivate(): void {
  // Every resource is held by the context, which VS Code disposes with the extension's subscriptions.
}
