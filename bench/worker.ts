/**
 * The profiler worker bundled as users get it (esbuild, fresh from src/, so never stale), for benchmarks:
 * a worker started through tsx would add about 1.5 s of TypeScript compilation per job.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { WorkerSpec } from '../src/profiler/index';

const ROOT = path.join(__dirname, '..');

/** Bundles src/profiler/worker.ts like scripts/build.mjs does, next to node_modules so onnxruntime-node resolves. */
export function bundledWorker(): WorkerSpec {
  const dir = path.join(ROOT, 'node_modules', '.cache', 'greenlens-bench');
  buildSync({
    entryPoints: [path.join(ROOT, 'src', 'profiler', 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'onnxruntime-node'],
    outfile: path.join(dir, 'worker.js'),
    logLevel: 'warning',
  });
  // The energy tables are read at run time from data/ next to the bundle (src/dataFiles.ts).
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  for (const d of ['src/catalog/data', 'src/energy/data']) {
    for (const f of readdirSync(path.join(ROOT, d)).filter((n) => n.endsWith('.json')))
      copyFileSync(path.join(ROOT, d, f), path.join(dir, 'data', f));
  }
  return { path: path.join(dir, 'worker.js') };
}
