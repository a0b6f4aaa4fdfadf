// Builds every bundle with esbuild: the extension (node, cjs), the profiler worker (node), the CLI (node),
// the webview (browser) and the integration tests; copies the tree-sitter WASM files next to them.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Generators of derived source files (each idempotent and quick when its output is current). */
const GENERATORS = ['scripts/gen-onnx-proto.mjs'];
for (const gen of GENERATORS) execFileSync(process.execPath, [join(root, gen)], { stdio: 'inherit', cwd: root });

// onnxruntime-node is a native addon: it stays external and ships as node_modules in the package.
const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  external: ['vscode', 'onnxruntime-node'],
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's ESM build calls createRequire(import.meta.url), which is empty in a CommonJS bundle:
  // bundle its CommonJS build instead.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  // `greenlens --version` and the reports' tool version.
  define: { GREENLENS_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
};

const integrationTests = existsSync(join(root, 'test/integration'))
  ? readdirSync(join(root, 'test/integration'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `test/integration/${f}`)
  : [];

const builds = [
  {
    ...nodeCommon,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    // Marks when the bundle starts evaluating, so activation time includes module load time.
    banner: { js: 'globalThis.__greenlensLoadStart = performance.now();' },
    footer: { js: 'globalThis.__greenlensLoadEnd = performance.now();' },
  },
  {
    ...nodeCommon,
    entryPoints: {
      worker: 'src/profiler/worker.ts',
      pythonWorker: 'src/analyzers/python/worker.ts',
      onnxWorker: 'src/analyzers/onnx/worker.ts',
    },
    outdir: 'dist',
  },
  // The CLI: a small launcher (the `greenlens` executable) that runs the CLI bundle through a code cache.
  { ...nodeCommon, entryPoints: { cli: 'src/cli/launch.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { cliMain: 'src/cli/main.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    absWorkingDir: root,
    sourcemap: production ? false : 'linked',
    entryPoints: {
      webview: 'src/webview/main.ts',
      onnxViewer: 'src/webview/onnxViewer.ts',
      overview: 'src/webview/overviewMain.ts',
    },
    outdir: 'dist',
    logLevel: 'warning',
  },
  {
    ...nodeCommon,
    external: ['vscode', 'onnxruntime-node', 'mocha'],
    entryPoints: integrationTests,
    outdir: 'out/test/integration',
    sourcemap: 'inline',
  },
];

function copyAssets() {
  mkdirSync(join(root, 'dist', 'data'), { recursive: true });
  // Data tables read at run time by src/dataFiles.ts (not bundled: see there).
  for (const dir of ['src/catalog/data', 'src/energy/data']) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.json')))
      copyFileSync(join(root, dir, f), join(root, 'dist', 'data', f));
  }
  copyFileSync(
    join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'),
    join(root, 'dist/web-tree-sitter.wasm'),
  );
  copyFileSync(
    join(root, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'),
    join(root, 'dist/tree-sitter-python.wasm'),
  );
  // The report page's stylesheet, inlined by the HTML export (src/report/export/html.ts) next to dist/webview.js.
  if (existsSync(join(root, 'media/report.css')))
    copyFileSync(join(root, 'media/report.css'), join(root, 'dist/report.css'));
}

if (!watch) rmSync(join(root, 'out/test/integration'), { recursive: true, force: true });
copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching');
} else {
  const t0 = performance.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`[build] done in ${Math.round(performance.now() - t0)} ms`);
}
