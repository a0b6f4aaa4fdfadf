/**
 * The status bar summary of the workspace ("≈ 14 kWh/yr · grade D (RTX 3090) · 1 to act on"; the full summary in
 * its tooltip), which opens the report. It costs nothing at activation: the first report is built only
 * after the first analysis showed GreenLens has something to say (a GreenLens diagnostic, the Models
 * view's listing; see registerReport).
 */
import * as vscode from 'vscode';
import { formatNumber } from '../energy/quantity';
import { statusBarText } from '../report/summary';
import type { Report } from '../report/types';
import { REFERENCE_DEVICE } from '../catalog/grades';
import { Commands } from './commands/ids';
import type { GreenLensContext } from './context';
import type { ReportService } from './report/service';

/** The tooltip: what the figure is, how it was obtained, how sure it is, and what clicking does. */
export function summaryTooltip(report: Report): vscode.MarkdownString {
  const s = report.summary;
  const a = report.assumptions;
  const lines = [`**GreenLens** — ${s.text}`, ''];
  const e = s.yearlyEnergy;
  if (e) {
    lines.push(
      `Energy per year of ${s.models} model${s.models === 1 ? '' : 's'} at ${formatNumber(a.inferencesPerDay)} inferences a day each: ${formatNumber(e.value)} kWh (band ${formatNumber(e.low)}–${formatNumber(e.high)}), ${e.provenance}: ${e.method}.`,
    );
  }
  lines.push(
    `${s.profiled} of ${s.models} model${s.models === 1 ? '' : 's'} measured on this machine; the other figures are estimated from the catalog or from counted MACs on ${a.hardware.name}.`,
  );
  if (s.worstGrade)
    lines.push(
      `Grade ${s.worstGrade} is the worst catalog grade (A–G, relative to the accuracy–energy frontier on an ${s.gradeDevice ?? REFERENCE_DEVICE}; see docs/grades.md).`,
    );
  lines.push('', 'Click to open the report.');
  const md = new vscode.MarkdownString(lines.join('\n\n'));
  md.isTrusted = false;
  return md;
}

/** Creates the item with the report service (not at activation); it shows once a report has models. */
export function registerStatusBar(ctx: GreenLensContext, service: ReportService): void {
  const item = vscode.window.createStatusBarItem('greenlens.summary', vscode.StatusBarAlignment.Right, 100);
  item.name = 'GreenLens summary';
  item.command = Commands.showReport;
  ctx.push(
    item,
    service.onDidChange(({ report }) => {
      if (report.models.length === 0) {
        item.hide();
        return;
      }
      item.text = `$(graph) ${statusBarText(report)}`;
      item.tooltip = summaryTooltip(report);
      item.accessibilityInformation = { label: `GreenLens: ${report.summary.text}. Open the report.`, role: 'button' };
      item.show();
    }),
  );
}
