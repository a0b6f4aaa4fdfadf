/**
 * JSON export: the Report exactly as built, pretty-printed. Its shape is described by
 * docs/report.schema.json (JSON Schema 2020-12) and documented, with its versioning, in
 * docs/report-schema.md.
 */
import type { Report } from '../types';

/** The `$id` of the schema of this report version. */
export const REPORT_SCHEMA_ID = 'urn:greenlens:report:v1';

/** The report as JSON text, ending with a newline. */
export function exportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
