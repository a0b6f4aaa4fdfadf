/**
 * Intel/AMD RAPL energy counters through the Linux powercap sysfs tree. The counters are cumulative
 * microjoules that wrap at max_energy_range_uj; since Linux 5.10 energy_uj is readable only by root
 * (a side-channel fix), the most common reason why CPU energy cannot be measured.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** The default powercap root; tests pass a fake tree instead. */
export const POWERCAP_ROOT = '/sys/class/powercap';

/** One RAPL zone that GreenLens sums: a package or a DRAM domain. */
export interface RaplDomain {
  /** Directory name, e.g. intel-rapl:0 or intel-rapl:0:2. */
  id: string;
  /** The zone's name file: package-0, dram. */
  name: string;
  energyFile: string;
  maxRangeUj: number;
}

/** Either usable domains or the reason there are none, in words for the user. */
export type RaplDiscovery = { ok: true; domains: RaplDomain[] } | { ok: false; reason: string };

function readText(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

function permissionHint(file: string): string {
  return (
    `RAPL energy counters exist but ${file} is readable only by root (Linux restricts it since 5.10). ` +
    'To measure CPU energy, allow reading it, e.g. `sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj` ' +
    '(reset at reboot) or a udev rule; until then energy is estimated from CPU time.'
  );
}

/** Finds package and DRAM zones under `root`; a sub-zone (core, uncore) is skipped because its package includes it. */
export function discoverRapl(root: string = POWERCAP_ROOT): RaplDiscovery {
  if (!existsSync(root))
    return {
      ok: false,
      reason: `no powercap interface (${root} does not exist): this machine or VM exposes no RAPL counters`,
    };
  const zones = readdirSync(root)
    .filter((d) => /^(intel|amd)-rapl:\d+(:\d+)?$/.test(d))
    .sort();
  const domains: RaplDomain[] = [];
  for (const id of zones) {
    const dir = path.join(root, id);
    let name: string;
    try {
      name = readText(path.join(dir, 'name'));
    } catch {
      continue;
    }
    if (!name.startsWith('package') && name !== 'dram') continue;
    const energyFile = path.join(dir, 'energy_uj');
    try {
      readText(energyFile);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: permissionHint(energyFile) };
      continue;
    }
    let maxRangeUj = Number.NaN;
    try {
      maxRangeUj = Number(readText(path.join(dir, 'max_energy_range_uj')));
    } catch {
      /* Without the range a wrap cannot be corrected; the reading below then refuses a negative delta. */
    }
    domains.push({ id, name, energyFile, maxRangeUj });
  }
  if (domains.length === 0) return { ok: false, reason: `no RAPL package or dram zone under ${root}` };
  return { ok: true, domains };
}

/** Current counter values in µJ, by domain id. */
export function readRapl(domains: RaplDomain[]): Map<string, number> {
  return new Map(domains.map((d) => [d.id, Number(readText(d.energyFile))]));
}

/** Energy between two readings of one counter in µJ, correcting one wrap-around at maxRangeUj. */
export function counterDeltaUj(before: number, after: number, maxRangeUj: number): number {
  if (after >= before) return after - before;
  if (!Number.isFinite(maxRangeUj) || maxRangeUj <= 0)
    throw new Error('RAPL counter went backwards and max_energy_range_uj is unknown');
  return maxRangeUj - before + after;
}

/** A started RAPL measurement; `stop` returns joules summed over the domains and the meter's name. */
export class RaplMeter {
  private start: Map<string, number> | undefined;

  constructor(private readonly domains: RaplDomain[]) {}

  /** The meter's name as results show it, e.g. rapl:package-0+dram. */
  get name(): string {
    return `rapl:${this.domains.map((d) => d.name).join('+')}`;
  }

  begin(): void {
    this.start = readRapl(this.domains);
  }

  /** Joules since begin(), summed over domains. */
  end(): number {
    const before = this.start;
    if (!before) throw new Error('RaplMeter.end() called before begin()');
    const after = readRapl(this.domains);
    let uj = 0;
    for (const d of this.domains) uj += counterDeltaUj(before.get(d.id) ?? 0, after.get(d.id) ?? 0, d.maxRangeUj);
    return uj / 1e6;
  }
}
