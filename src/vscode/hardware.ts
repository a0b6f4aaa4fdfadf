/**
 * This machine's hardware, detected once per activation (nvidia-smi is spawned with a time limit) and
 * resolved against the hardware profile setting each time it is asked for. The Python features and the
 * report share the one detection through the context.
 */
import type { DetectedHardware, ResolvedHardware } from '../energy/detect';
import { defineFeature } from './context';
import { lazyModules } from './lazyModules';

export class HardwareDetection {
  private detected: Promise<DetectedHardware> | undefined;

  /** The hardware estimates are made for under `profile` (`auto` or empty: this machine). */
  async resolve(profile: string): Promise<ResolvedHardware> {
    return lazyModules.hardwareDetection().resolveHardware(profile, await this.detect());
  }

  /** This machine as detected, before any profile is applied. */
  detect(): Promise<DetectedHardware> {
    this.detected ??= lazyModules.hardwareDetection().detectHardware({ nvidiaSmiTimeoutMs: 3000 });
    return this.detected;
  }
}

export const Hardware = defineFeature('hardware detection', () => new HardwareDetection());
