/**
 * Detection of this machine's CPU (os.cpus, then /proc/cpuinfo) and NVIDIA GPUs (nvidia-smi, spawned with
 * a timeout), and resolution of the `greenlens.hardware.profile` setting into devices. Node only, no vscode.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import { cpuDevice, gpuDevice, looksLikeGpu, lookupHardware, type Device } from './hardware';

/** What was found on this machine. */
export interface DetectedHardware {
  cpu: { model: string; logicalCores: number };
  gpus: { name: string; powerLimitW?: number; memoryMiB?: number }[];
  /** Why a part could not be detected (nvidia-smi missing, timed out...). */
  notes: string[];
}

/** Parses the "model name" line of /proc/cpuinfo. */
export function parseCpuinfo(text: string): { model?: string; logicalCores: number } {
  const models = [...text.matchAll(/^model name\s*:\s*(.+)$/gm)].map((m) => m[1]!.trim());
  return { model: models[0], logicalCores: models.length };
}

/** Parses `nvidia-smi --query-gpu=name,power.limit,memory.total --format=csv,noheader,nounits` output. */
export function parseNvidiaSmi(text: string): DetectedHardware['gpus'] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', power, memory] = line.split(',').map((s) => s.trim());
      const p = Number(power);
      const m = Number(memory);
      return {
        name,
        powerLimitW: Number.isFinite(p) && p > 0 ? p : undefined,
        memoryMiB: Number.isFinite(m) && m > 0 ? m : undefined,
      };
    })
    .filter((g) => g.name !== '');
}

function runNvidiaSmi(timeoutMs: number): Promise<{ stdout?: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,power.limit,memory.total', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, windowsHide: true },
      (err, stdout) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          resolve({
            error:
              code === 'ENOENT'
                ? 'nvidia-smi not found: no NVIDIA GPU considered.'
                : `nvidia-smi failed (${err.killed ? `timed out after ${timeoutMs} ms` : err.message.split('\n')[0]}): no NVIDIA GPU considered.`,
          });
        } else resolve({ stdout });
      },
    );
  });
}

/** Detects the CPU and NVIDIA GPUs of this machine. Never throws; what fails is said in `notes`. */
export async function detectHardware(
  options: { nvidiaSmiTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<DetectedHardware> {
  const notes: string[] = [];
  const cpus = os.cpus();
  let model = cpus[0]?.model?.trim() ?? '';
  let logicalCores = cpus.length;
  if (!model) {
    try {
      const info = parseCpuinfo(await readFile('/proc/cpuinfo', 'utf8'));
      model = info.model ?? '';
      logicalCores = logicalCores || info.logicalCores;
    } catch {
      notes.push('The CPU model could not be read from the operating system.');
    }
  }
  const smi = options.signal?.aborted ? { error: 'cancelled' } : await runNvidiaSmi(options.nvidiaSmiTimeoutMs ?? 3000);
  if (smi.error) notes.push(smi.error);
  return {
    cpu: { model: model || 'unknown CPU', logicalCores: Math.max(1, logicalCores) },
    gpus: parseNvidiaSmi(smi.stdout ?? ''),
    notes,
  };
}

/** The devices estimates are made for: the CPU always, a GPU when there is one; `primary` is the one to use. */
export interface ResolvedHardware {
  cpu: Device;
  gpu?: Device;
  primary: Device;
  /**
   * Whether the primary device is the one the profile names, or the detected machine (the profile is
   * `auto`, empty, or a name no table knows).
   */
  chosenBy: 'profile' | 'detected';
  /** What the user should know: fallbacks, unknown names. */
  notes: string[];
}

/**
 * Resolves the hardware profile setting. `auto` uses the detected machine (first GPU if any). A name is
 * looked up in the GPU and CPU tables; an unknown name falls back to the detected machine and says so.
 */
export function resolveHardware(profile: string | undefined, detected: DetectedHardware): ResolvedHardware {
  const notes = [...detected.notes];
  const cpu = cpuDevice(detected.cpu.model, detected.cpu.logicalCores);
  const g0 = detected.gpus[0];
  const gpu = g0 ? gpuDevice(g0.name, g0.powerLimitW) : undefined;
  const wanted = (profile ?? '').trim();
  if (wanted === '' || wanted.toLowerCase() === 'auto') {
    return { cpu, gpu, primary: gpu ?? cpu, chosenBy: 'detected', notes: [...notes, ...cpu.tdp.notes] };
  }
  const asGpu = looksLikeGpu(wanted) ? gpuDevice(wanted) : undefined;
  if (asGpu) return { cpu, gpu: asGpu, primary: asGpu, chosenBy: 'profile', notes };
  if (lookupHardware(wanted, 'cpu')) {
    const chosen = cpuDevice(wanted, detected.cpu.logicalCores);
    return { cpu: chosen, gpu, primary: chosen, chosenBy: 'profile', notes };
  }
  const otherGpu = gpuDevice(wanted);
  if (otherGpu) return { cpu, gpu: otherGpu, primary: otherGpu, chosenBy: 'profile', notes };
  notes.push(
    `Hardware profile "${wanted}" is not in the CodeCarbon CPU or ML CO2 Impact GPU tables; using the detected ${gpu ? gpu.name : cpu.name} instead.`,
  );
  return { cpu, gpu, primary: gpu ?? cpu, chosenBy: 'detected', notes: [...notes, ...cpu.tdp.notes] };
}
