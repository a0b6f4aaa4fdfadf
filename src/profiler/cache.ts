/**
 * The result cache: one JSON file per (model file hash, variant, settings, machine fingerprint), plus the
 * baseline's outputs as a binary file so that a new variant can be compared without re-measuring it. Each
 * result has a description beside it (`<key>.meta.json`: model hash, variant, machine, settings, date), so
 * that a reader that knows only the model can find its newest measurement on this machine (`greenlens
 * check` records it in the baseline) without knowing the budget or inputs the key was made of.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../atomicWrite';
import { openRegularFile } from '../fileAccess';
import type { OutputSample } from './accuracy';
import type { MachineFingerprint, VariantResult } from './types';

/**
 * SHA-256 of a file, streamed (models can be gigabytes). Only a regular file is read: a named pipe would
 * never end, so it fails with a FileAccessError that names the path.
 */
export async function hashFile(file: string): Promise<string> {
  const handle = await openRegularFile(file);
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    handle
      .createReadStream()
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

function ortVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** What results depend on besides the model and settings. */
export function machineFingerprint(): MachineFingerprint {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    platform: process.platform,
    arch: process.arch,
    ortVersion: ortVersion(),
  };
}

/** The cache key of one variant result. */
export function cacheKey(parts: {
  modelSha256: string;
  variant: unknown;
  settings: unknown;
  machine: MachineFingerprint;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.modelSha256, parts.variant, parts.settings, parts.machine]))
    .digest('hex')
    .slice(0, 32);
}

/** What a cached result was measured from: the parts of its key, in the clear, and when it was written. */
export interface CacheEntryMeta {
  modelSha256: string;
  variantId: string;
  variantKind: string;
  machine: MachineFingerprint;
  /** The run's settings that are part of the key (budget, inputs, confidence target, threads, method). */
  settings: Record<string, unknown>;
  /** ISO 8601. */
  writtenAt: string;
}

function isMeta(v: unknown): v is CacheEntryMeta {
  const m = v as Partial<CacheEntryMeta> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.modelSha256 === 'string' &&
    typeof m.variantKind === 'string' &&
    typeof m.writtenAt === 'string' &&
    typeof m.machine === 'object' &&
    m.machine !== null
  );
}

/**
 * A folder of cached results; all methods tolerate a missing or corrupt entry by reporting a miss. Runs in
 * parallel may share the folder, so every entry is written aside and renamed into place.
 */
export class ResultCache {
  constructor(private readonly dir: string) {}

  get(key: string): VariantResult | undefined {
    const file = path.join(this.dir, `${key}.json`);
    try {
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VariantResult) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result; with `meta`, its description too (after the result, so a description always finds it). */
  put(key: string, result: VariantResult, meta?: CacheEntryMeta): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(path.join(this.dir, `${key}.json`), JSON.stringify(result));
    if (meta) writeFileAtomicSync(path.join(this.dir, `${key}.meta.json`), JSON.stringify(meta));
  }

  /**
   * The newest measured result of a variant kind for a model (by content hash) on a machine, whatever
   * budget or inputs it was measured with; undefined when there is none. Entries written without a
   * description, unreadable ones and those of other machines are skipped.
   */
  latestMeasured(
    modelSha256: string,
    machine: MachineFingerprint,
    variantKind = 'baseline',
  ): { result: VariantResult; meta: CacheEntryMeta } | undefined {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.meta.json'));
    } catch {
      return undefined;
    }
    let best: { result: VariantResult; meta: CacheEntryMeta } | undefined;
    for (const name of names) {
      const meta = readJson(path.join(this.dir, name));
      if (
        !isMeta(meta) ||
        meta.modelSha256 !== modelSha256 ||
        meta.variantKind !== variantKind ||
        !isDeepStrictEqual(meta.machine, machine)
      )
        continue;
      if (best && best.meta.writtenAt >= meta.writtenAt) continue;
      const result = this.get(name.slice(0, -'.meta.json'.length));
      if (result?.status === 'measured' && result.energy) best = { result, meta };
    }
    return best;
  }

  getOutputs(key: string): OutputSample | undefined {
    const meta = path.join(this.dir, `${key}.outputs.json`);
    const bin = path.join(this.dir, `${key}.outputs.bin`);
    try {
      if (!existsSync(meta) || !existsSync(bin)) return undefined;
      const m = JSON.parse(readFileSync(meta, 'utf8')) as Omit<OutputSample, 'data'>;
      const b = readFileSync(bin);
      return { ...m, data: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
    } catch {
      return undefined;
    }
  }

  putOutputs(key: string, out: OutputSample): void {
    mkdirSync(this.dir, { recursive: true });
    // The data before its description: a reader that finds the description finds complete data.
    writeFileAtomicSync(
      path.join(this.dir, `${key}.outputs.bin`),
      new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength),
    );
    writeFileAtomicSync(
      path.join(this.dir, `${key}.outputs.json`),
      JSON.stringify({ name: out.name, sampleDims: out.sampleDims, samples: out.samples }),
    );
  }
}
