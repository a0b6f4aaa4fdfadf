/** Small helpers over the VS Code workbench DOM, shared by the e2e tests. */
import type { Locator, Page } from 'playwright-core';

export interface E2EContext {
  server: { origin: string; port: number; scratch: string; log: string };
  page: Page;
  workspace: string;
  repoRoot: string;
  shot(step: string): Promise<string>;
}

export interface E2ETest {
  name: string;
  run(ctx: E2EContext): Promise<void>;
}

/** Opens the workbench on the workspace, with the repository loaded as a development extension when asked. */
export async function openWorkbench(ctx: E2EContext, opts: { devExtension: boolean }): Promise<void> {
  const params = new URLSearchParams({ folder: ctx.workspace });
  if (opts.devExtension) {
    params.set(
      'payload',
      JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${ctx.server.port}${ctx.repoRoot}`]]),
    );
  }
  await ctx.page.goto(`${ctx.server.origin}/?${params.toString()}`);
  await ctx.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await ctx.page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60_000 });
}

/** Opens a workspace file through Quick Open and waits until its tab is the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(name);
  // The row that names the file, not the first row: while the file search runs the first may be another
  // file (fashion_mlp.py for fashion_mlp.onnx), and the first search is slow on a busy machine.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click({ timeout: 60_000 });
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by its title and returns once the palette has closed or moved on. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Waits for a notification toast containing the text. */
export async function waitForNotification(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await page.locator('.notifications-toasts .notification-toast', { hasText: text }).first().waitFor({ timeout });
}

/**
 * Reads an element's text once it matches `pattern`. VS Code replaces code lenses and other decorations
 * when their provider refreshes, so an element found a moment ago can read as empty: the read is retried on
 * whatever element the locator finds now, until the text matches or the time is up.
 */
export async function waitForText(locator: Locator, pattern: RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = await locator.innerText({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => last);
    if (pattern.test(last) || Date.now() >= deadline) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
}
