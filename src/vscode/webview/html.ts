/**
 * The HTML shell of every GreenLens webview: a strict CSP (default-src 'none'), scripts only by nonce,
 * styles from the extension, no data spliced into the markup — the page asks for its data with `ready`.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  opts: { script: string; style: string; title: string },
): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', opts.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', opts.style));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const title = opts.title.replace(/[<>&"]/g, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${title}</title>
</head>
<body>
<main id="root" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Webview options shared by GreenLens panels: scripts on, resources only from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
