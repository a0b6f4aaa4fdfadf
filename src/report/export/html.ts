/**
 * HTML export: one self-contained file that works offline. The report panel's browser bundle and CSS are
 * inlined, the report is embedded as a JSON data island, and a Content-Security-Policy forbids every
 * network request: no default source, the one inline script allowed by its SHA-256 hash, inline styles,
 * images only from data: URIs. The panel's script renders from the data island when it runs outside
 * VS Code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../types';

/** The id of the `<script type="application/json">` element holding the report. */
export const REPORT_DATA_ID = 'greenlens-report';

/** The browser bundle and stylesheet the page inlines. */
export interface ReportAssets {
  script: string;
  css: string;
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` are written as \u escapes (so no
 * `</script>` or `<!--` can appear, whatever a model is called), as are U+2028 and U+2029. JSON.parse
 * reads the escapes back to the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text safe between HTML tags and in attribute values. */
export function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Keeps inlined code from closing its element early: `</script` and `<!--` in a bundle (inside a string
 * or a comment) become `<\/script` and `<\!--`, which mean the same to JavaScript; `</style` in CSS
 * becomes `<\/style`, the same to CSS.
 */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  const out = code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
  return tag === 'script' ? out.replace(/<!--/g, '<\\!--') : out;
}

/**
 * Drops what would point outside the file: the source-map comment (a browser with devtools open would
 * fetch it), and the scheme of the home-page links in bundled libraries' license banners (`/*! ... *\/`),
 * whose copyright notices stay intact. The page then names no URL at all.
 */
function withoutUrls(script: string): string {
  return script
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
    .replace(/\/\*![\s\S]*?\*\//g, (banner) => banner.replace(/https?:\/\//g, ''));
}

/** The Content-Security-Policy of the exported page, allowing exactly one inline script by hash. */
export function reportCsp(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return [
    `default-src 'none'`,
    `script-src 'sha256-${hash}'`,
    `style-src 'unsafe-inline'`,
    `img-src data:`,
    `font-src data:`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

/** Renders the report as one self-contained HTML page. */
export function renderReportHtml(report: Report, assets: ReportAssets): string {
  const script = inlineSafe(withoutUrls(assets.script), 'script');
  const title = htmlEscape(`GreenLens report: ${report.workspace}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp(script)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${inlineSafe(assets.css, 'style')}</style>
</head>
<body class="greenlens-standalone">
<main id="root" aria-live="polite"><h1>${title}</h1><p>${htmlEscape(report.summary.text)}</p><noscript><p>The tables and charts of this report need JavaScript; report.md and report.json hold the same figures.</p></noscript></main>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(report)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * Reads the panel's browser bundle (`webview.js`) and stylesheet (`report.css`) from the build folder,
 * or the stylesheet from `media/` beside it when the build did not copy it.
 */
export function loadReportAssets(distDir: string): ReportAssets {
  const scriptPath = path.join(distDir, 'webview.js');
  if (!existsSync(scriptPath)) throw new Error(`The report page script ${scriptPath} is missing: run the build first.`);
  const cssPath = [path.join(distDir, 'report.css'), path.join(distDir, '..', 'media', 'report.css')].find((p) =>
    existsSync(p),
  );
  return { script: readFileSync(scriptPath, 'utf8'), css: cssPath ? readFileSync(cssPath, 'utf8') : '' };
}
