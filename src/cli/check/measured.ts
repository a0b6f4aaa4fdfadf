/**
 * Measured profiles for the baseline. `check` never profiles (a CI runner is too noisy to measure on), but
 * where this machine has already profiled a model, the profiler's result cache holds the measurement: it
 * is found by the model file's content hash and this machine's fingerprint alone (whatever budget or
 * inputs it was run with), the newest entry wins, and it is recorded with its provenance (machine, date,
 * budget) so that a later check compares measurements only with measurements of the same machine.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { hashFile, machineFingerprint, ResultCache } from '../../profiler/cache';
import type { MachineFingerprint } from '../../profiler/types';
import { convertEnergy } from '../../energy/quantity';
import { bandOf, type BaselineMeasured } from './baseline';

/** A short, stable id of a machine fingerprint: two baselines' measurements compare only when theirs match. */
export function machineId(m: MachineFingerprint): string {
  return createHash('sha256')
    .update(JSON.stringify([m.cpu, m.cores, m.memoryBytes, m.platform, m.arch, m.ortVersion]))
    .digest('hex')
    .slice(0, 16);
}

/** The fingerprint in words: "AMD EPYC, 2 cores, 23.5 GiB, linux-x64, onnxruntime 1.30.0". */
export function machineText(m: MachineFingerprint): string {
  return `${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.platform}-${m.arch}, onnxruntime ${m.ortVersion}`;
}

/**
 * The newest cached baseline measurement of each ONNX file (workspace-relative names) on this machine,
 * searched in every cache folder given; files without one are left out. A file that cannot be read has
 * no measurement either: the static figures still come from the report.
 */
export async function measuredProfiles(
  folder: string,
  onnxFiles: readonly string[],
  cacheDirs: readonly string[],
  machine: MachineFingerprint = machineFingerprint(),
): Promise<Record<string, BaselineMeasured>> {
  const out: Record<string, BaselineMeasured> = {};
  if (cacheDirs.length === 0) return out;
  const caches = cacheDirs.map((d) => new ResultCache(d));
  for (const file of onnxFiles) {
    let sha: string;
    try {
      sha = await hashFile(path.join(folder, file));
    } catch {
      continue;
    }
    const found = caches
      .map((c) => c.latestMeasured(sha, machine))
      .filter((x) => x !== undefined)
      .sort((a, b) => (a.meta.writtenAt < b.meta.writtenAt ? 1 : -1))[0];
    const energy = found?.result.energy;
    const metrics = found?.result.metrics;
    if (!found || !energy || !metrics) continue;
    const ci = (metrics.ciPct / 100) * metrics.p50Ms;
    const budget = found.meta.settings.budget;
    out[file] = {
      energyPerInference: bandOf(convertEnergy(energy.perInference, 'J')),
      latencyMs: bandOf({
        value: metrics.p50Ms,
        low: Math.max(0, metrics.p50Ms - ci),
        high: metrics.p50Ms + ci,
        unit: 'ms',
        provenance: 'measured',
      }),
      meter: energy.meter,
      machine: machineText(machine),
      machineId: machineId(machine),
      measuredAt: found.meta.writtenAt,
      ...(typeof budget === 'number' ? { budgetMs: budget } : {}),
      modelSha256: sha,
    };
  }
  return out;
}
