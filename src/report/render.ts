/**
 * The report in one of its export formats. The CLI and the editor's Export both render through here, so a
 * format is added or changed in one place.
 */
import { exportCsv } from './export/csv';
import { loadReportAssets, renderReportHtml } from './export/html';
import { exportJson } from './export/json';
import { exportMarkdown } from './export/markdown';
import type { Report } from './types';

export type ReportFormat = 'html' | 'md' | 'json' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json', 'csv'];

/**
 * Renders a report in one format. `distDir` is the build folder holding the report page's script and
 * style, which the self-contained HTML page inlines; the other formats do not read it.
 */
export function renderReport(report: Report, format: ReportFormat, distDir: string): string {
  switch (format) {
    case 'html':
      return renderReportHtml(report, loadReportAssets(distDir));
    case 'md':
      return exportMarkdown(report);
    case 'json':
      return exportJson(report);
    case 'csv':
      return exportCsv(report);
  }
}
