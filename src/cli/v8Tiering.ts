/**
 * V8 tier-up thresholds for the CLI: a command is a short-lived process, and V8's optimising compilers
 * (Maglev, TurboFan) compile hot functions on background threads that the run mostly ends before using.
 * On a machine with two cores or fewer free (a CI runner, a busy laptop) those compiles take CPU from the
 * work itself. Measured on the inspection of vit_b_16, first call of a fresh process pinned to one core,
 * medians of 7-11 processes with V8's thresholds and with the ones below: Node 20 81-87 and 40-47 ms,
 * Node 22 86-88 and 42-44 ms, Node 24 93 and 46 ms.
 * Optimisation is delayed, not turned off. 150 consecutive inspections in one process (1.0-2.2 s) took
 * as long either way on Node 20 and 24, and about 8% longer on Node 22, whose threshold is raised less for
 * that reason (ten times V8's default cost it 20%). `greenlens analyze` over the 1,141 files of torch's
 * Python sources took 3.0-4.5 s either way on Node 20.
 *
 * The flag names belong to V8 versions: only the versions measured get flags (another version runs with
 * its defaults; an unknown flag would print an error on every run). GREENLENS_V8_TIERING=0 turns this off.
 * The editor's extension host is long-lived and never gets these flags.
 */
import { setFlagsFromString } from 'node:v8';

/** Flags by V8 major version. */
const FLAGS_BY_V8_MAJOR: Record<number, string[]> = {
  // Node 20 (V8 11.3): one bytecode budget drives tier-up; the default is 67,584.
  11: ['--interrupt-budget=600000'],
  // Node 22 (V8 12.4): invocation counts, no Maglev by default; TurboFan's default is 3,000.
  12: ['--invocation-count-for-turbofan=12000'],
  // Node 24 (V8 13.6): Maglev comes first (default 400), then TurboFan (3,000); ten times each.
  13: ['--invocation-count-for-maglev=4000', '--invocation-count-for-turbofan=30000'],
};

/** The V8 flags the CLI sets for this V8 version (`process.versions.v8`), or none. */
export function tieringFlags(v8Version: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.GREENLENS_V8_TIERING === '0') return [];
  return FLAGS_BY_V8_MAJOR[Number.parseInt(v8Version, 10)] ?? [];
}

/** Sets this V8's flags (see above); call before loading the code they should apply to. */
export function applyTieringFlags(): void {
  for (const flag of tieringFlags(process.versions.v8)) setFlagsFromString(flag);
}
