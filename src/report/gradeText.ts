/**
 * The short form of a catalog grade in a report, for tables and summaries: "D (RTX 3090)", "B–C (RTX 3090)".
 * A letter is relative to the accuracy–energy frontier on one device (docs/grades.md), so it is never shown
 * without that device. Pure and free of Node imports: the report page in the browser uses it too.
 */
import type { CatalogFacts } from './types';

/** The letters and reference device of a model's catalog grade. */
export function gradeShort(
  c: Pick<CatalogFacts, 'grade' | 'gradeRange' | 'referenceDevice' | 'gradeLabel' | 'testNetwork'>,
): string {
  if (c.testNetwork) return 'not graded (a test network)';
  // A report written before the device was stored: its long label names the device, when it has one.
  if (!c.referenceDevice) return c.gradeLabel ?? `${c.grade} (reference device not stated)`;
  const letters = c.gradeRange && c.gradeRange[0] !== c.gradeRange[1] ? c.gradeRange.join('–') : c.grade;
  return `${letters} (${c.referenceDevice})`;
}
