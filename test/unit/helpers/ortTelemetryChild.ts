/**
 * Run as a child process by ort-telemetry.test.ts with HOME and TMPDIR pointed at empty folders. Mode
 * `in-process` loads onnxruntime in this process (as the benchmarks do); mode `worker` profiles a model
 * through the profiler worker (as the CLI and the extension do).
 */
import * as path from 'node:path';
import { ort } from '../../../src/profiler/inWorker/ort';
import { profileModel } from '../../../src/profiler/index';

async function main(): Promise<void> {
  const [mode, model, storageDir] = process.argv.slice(2) as [string, string, string];
  if (mode === 'in-process') {
    const session = await ort().InferenceSession.create(model);
    await session.release();
    return;
  }
  const res = await profileModel({
    modelPath: model,
    storageDir: path.join(storageDir, 'store'),
    variants: '',
    budgetMs: 300,
    threads: 1,
  });
  if (res.variants.length !== 1) throw new Error('the baseline was not profiled');
  const failed = res.variants.filter((v) => v.status !== 'measured');
  if (failed.length > 0) throw new Error(`not measured: ${JSON.stringify(failed)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
