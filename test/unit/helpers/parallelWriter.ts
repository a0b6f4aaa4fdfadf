/**
 * Run as a child process by profiler-cache-writes.test.ts, several at once: writes the same cache entry
 * (`cache DIR KEY VALUE N COUNT`, COUNT outputs all equal to VALUE) or builds the same variant file
 * (`variant MODEL STORAGE N`) N times, as parallel profile runs sharing a folder do.
 */
import { ResultCache } from '../../../src/profiler/cache';
import { buildVariant } from '../../../src/profiler/inWorker/build';
import type { SampleSet } from '../../../src/profiler/inputs';
import { parseVariant } from '../../../src/profiler/variants/spec';

async function main(): Promise<void> {
  const [what, a, b, c, d, e] = process.argv.slice(2) as [string, string, string, string, string, string];
  if (what === 'cache') {
    const cache = new ResultCache(a);
    const count = Number(e);
    for (let i = 0; i < Number(d); i++)
      cache.putOutputs(b, {
        name: 'y',
        sampleDims: [1024],
        samples: count / 1024,
        data: new Float32Array(count).fill(Number(c)),
      });
    return;
  }
  const none: SampleSet = { count: 0, batched: {}, fixed: {}, source: 'random', description: 'none' };
  for (let i = 0; i < Number(c); i++) await buildVariant(a, parseVariant('int8-dynamic'), b, none, 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
