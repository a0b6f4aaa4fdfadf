/**
 * How a run spends its time budget. Each variant is first prepared in its own worker (built, loaded,
 * checked, its outputs collected); what is left then goes to one interleaved measurement of all of them,
 * less the time expected for loading every session again. Pure.
 */

/** Shortest interleaved loop per contestant worth starting, ms. */
export const MIN_LOOP_MS = 200;

/** Starting a worker and its onnxruntime: a fixed cost of the interleaved job, ms. */
const WORKER_START_MS = 1000;

/** Time bookkeeping of one run. */
export class Schedule {
  constructor(
    readonly deadline: number,
    private readonly now: () => number = Date.now,
  ) {}

  leftMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /**
   * Budget of the interleaved job (loading, warm-up and rounds): the time left less the worker's start,
   * and at least MIN_LOOP_MS per contestant so that a run past its deadline still compares its variants.
   * `loadMs` is the sum of the contestants' load times seen while preparing them; the job spends it again.
   */
  interleaveBudgetMs(contestants: number, loadMs: number): number {
    return Math.max(MIN_LOOP_MS * contestants + loadMs, this.leftMs() - WORKER_START_MS);
  }
}
