/**
 * GreenLens's energy-efficiency grade, A to G, from the accuracy–energy Pareto frontier of the catalog.
 * The excess of a model is its energy per inference divided by that of the cheapest catalog model that is
 * at least as accurate (1 = the model is on the frontier). Grades are fixed bands of the excess, so they
 * depend only on the data: the same catalog always gives the same grades, whatever the row order.
 * docs/grades.md explains it for users.
 */

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';

/** Upper bounds of the excess for grades A..F (G is anything above the last). Roughly ×1.6 steps. */
export const GRADE_BOUNDS: readonly [Grade, number][] = [
  ['A', 1.25],
  ['B', 1.6],
  ['C', 2.5],
  ['D', 4],
  ['E', 6.3],
  ['F', 10],
];

/** What the grading needs from a catalog entry. */
export interface Gradable {
  id: string;
  top1: number;
  energyJ: number;
  /** Test and dummy networks are graded against the frontier but never shape it. */
  testNetwork?: boolean;
}

/** timm's test networks (`test_vit`, `test_efficientnet`, …): tiny untrained-scale nets for unit tests, not for use. */
export function isTestNetwork(name: string): boolean {
  return /^test_/.test(name);
}

/** The device the catalog's energies and grades refer to. */
export const REFERENCE_DEVICE = 'RTX 3090';

/** The grade of an excess ratio. */
export function gradeOfExcess(excess: number): Grade {
  for (const [g, bound] of GRADE_BOUNDS) if (excess <= bound) return g;
  return 'G';
}

/**
 * Excess energy of every entry over the frontier: entries are sorted by accuracy, best first (ties by
 * energy, then id, for determinism), and a running minimum of energy gives, for each accuracy, the
 * cheapest entry at least as accurate.
 */
export function frontierExcess(entries: readonly Gradable[]): Map<string, { excess: number; frontierId: string }> {
  const sorted = [...entries].sort(
    (a, b) => b.top1 - a.top1 || a.energyJ - b.energyJ || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const out = new Map<string, { excess: number; frontierId: string }>();
  let best: Gradable | undefined;
  let i = 0;
  while (i < sorted.length) {
    // Entries with the same accuracy are compared with each other too: process the tie group together.
    let j = i;
    while (j < sorted.length && sorted[j]!.top1 === sorted[i]!.top1) {
      if (!sorted[j]!.testNetwork && (!best || sorted[j]!.energyJ < best.energyJ)) best = sorted[j]!;
      j++;
    }
    // An entry more accurate than every real network (possible only for test networks) has no bar: excess 1.
    for (let k = i; k < j; k++)
      out.set(
        sorted[k]!.id,
        best
          ? { excess: sorted[k]!.energyJ / best.energyJ, frontierId: best.id }
          : { excess: 1, frontierId: sorted[k]!.id },
      );
    i = j;
  }
  return out;
}

/** Grades and efficiency scores (0..100, 100 = on the frontier) of every entry. */
export function gradeEntries(
  entries: readonly Gradable[],
): Map<string, { grade: Grade; score: number; excess: number; frontierId: string }> {
  const out = new Map<string, { grade: Grade; score: number; excess: number; frontierId: string }>();
  for (const [id, f] of frontierExcess(entries)) {
    // Score: 100 on the frontier, falling by 25 points per doubling of excess energy, floored at 0.
    const score = Math.max(0, Math.round(100 - 25 * Math.log2(f.excess)));
    out.set(id, { grade: gradeOfExcess(f.excess), score, excess: f.excess, frontierId: f.frontierId });
  }
  return out;
}

/** The grades an excess band spans: one letter, or a range "B–C" when the band straddles a boundary. */
export function gradeRange(excessLow: number, excessHigh: number): [Grade, Grade] {
  return [gradeOfExcess(Math.max(1, excessLow)), gradeOfExcess(Math.max(1, excessHigh))];
}

/** What a grade label needs from a catalog entry. */
export interface GradeLabelInput {
  grade: Grade;
  testNetwork?: boolean;
  gradeOn?: { rtx4090?: Grade; cpu?: Grade };
  gradeRange?: [Grade, Grade];
  energyJ: number;
  energyLowJ?: number;
  energyHighJ?: number;
}

function mj(j: number): string {
  return Number((j * 1000).toPrecision(3)).toString();
}

/**
 * The grade as users see it: letter (or letter range), the reference device, and the absolute energy
 * with its band, e.g. "B–C on RTX 3090, ≈ 12.3 mJ/inference (9.1–15.2)". A letter alone reads as an
 * absolute label; it is relative to the frontier on one device.
 */
export function gradeLabel(e: GradeLabelInput): string {
  if (e.testNetwork) return `not graded (a test network), ≈ ${mj(e.energyJ)} mJ/inference on ${REFERENCE_DEVICE}`;
  const letters =
    e.gradeRange && e.gradeRange[0] !== e.gradeRange[1] ? `${e.gradeRange[0]}–${e.gradeRange[1]}` : e.grade;
  const band =
    e.energyLowJ !== undefined && e.energyHighJ !== undefined && e.energyLowJ !== e.energyHighJ
      ? ` (${mj(e.energyLowJ)}–${mj(e.energyHighJ)})`
      : '';
  return `${letters} on ${REFERENCE_DEVICE}, ≈ ${mj(e.energyJ)} mJ/inference${band}`;
}

/** "RTX 4090: C; i7-12700H CPU: D" where grading on another benchmark device changes the letter, else ''. */
export function otherDeviceGrades(e: Pick<GradeLabelInput, 'gradeOn'>): string {
  const parts = [
    e.gradeOn?.rtx4090 ? `RTX 4090: ${e.gradeOn.rtx4090}` : '',
    e.gradeOn?.cpu ? `i7-12700H CPU: ${e.gradeOn.cpu}` : '',
  ].filter(Boolean);
  return parts.length ? `on other benchmark devices the letter differs (${parts.join('; ')})` : '';
}
