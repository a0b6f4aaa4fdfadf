/**
 * The one context object that activate() builds and every feature receives. It owns what the extension
 * creates: every disposable, every feature (created on first use through `feature()`), and every command
 * (registered from one table through `registerCommands()`). Disposing the context, which VS Code does on
 * deactivation, disposes all of them, last created first. Nothing lives in module variables, so a second
 * activation in the same extension host starts from nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SettingsStore } from './config';
import type { CommandId } from './commands/ids';
import { guardCommand, type CommandHandler } from './commands/guard';
import { Ownership, type Feature as OwnedFeature } from './ownership';

/** A feature of the extension: created once per activation, on first use, and disposed with the context. */
export type Feature<T> = OwnedFeature<T, GreenLensContext>;

/** Declares a feature; the key is a constant of the feature's module, the instance lives on the context. */
export function defineFeature<T>(name: string, create: (ctx: GreenLensContext) => T): Feature<T> {
  return { name, create };
}

/** Makes one command's handler from the context; called once, when the commands are registered. */
export type CommandFactory = (ctx: GreenLensContext) => CommandHandler;

/** A factory for every command id: the type fails to check when an id has none, or an unknown id has one. */
export type CommandTable = { readonly [K in CommandId]: CommandFactory };

export class GreenLensContext implements vscode.Disposable {
  readonly config: SettingsStore;
  private readonly owned = new Ownership<GreenLensContext>((err) =>
    this.log.error(`Releasing a GreenLens resource failed: ${(err as Error)?.stack ?? String(err)}`),
  );

  /** Takes the output channel over: it is disposed last, after everything that may still log. */
  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.push(log);
    this.config = new SettingsStore(log);
    this.push(this.config);
  }

  /** Registers disposables for deactivation (every feature goes through here). */
  push(...disposables: vscode.Disposable[]): void {
    this.owned.push(...disposables);
  }

  /** Absolute path of a file shipped with the extension (dist/, media/). */
  asset(...segments: string[]): string {
    return path.join(this.extension.extensionPath, ...segments);
  }

  /** The feature's one instance in this activation, created now when it does not exist yet. */
  feature<T>(key: Feature<T>): T {
    return this.owned.feature(key, this);
  }

  /** Registers every command of the table, each behind the one error wrapper. */
  registerCommands(table: CommandTable): void {
    for (const id of Object.keys(table) as CommandId[]) {
      this.push(vscode.commands.registerCommand(id, guardCommand(this, id, table[id](this))));
    }
  }

  /** Disposes everything the context holds, last created first (a feature goes before what it uses). */
  dispose(): void {
    this.owned.dispose();
  }
}
