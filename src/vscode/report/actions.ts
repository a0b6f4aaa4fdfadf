/**
 * What the report page may ask for, carried out by the host. The page names a recommendation, a model, a
 * file or a format; the host looks each up in its own copy of the report and refuses anything the report
 * does not hold: no edit, path or model comes from the page itself.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Report, ReportRecommendation } from '../../report/types';
import type { ActionKind, ExportFormat } from '../../webviewProtocol/report';
import { Commands } from '../commands/ids';
import type { GreenLensContext } from '../context';
import { lazyModules } from '../lazyModules';
import type { CurrentReport, ReportService } from './service';

/** The outcome of one request from the page: done, or refused with the reason (logged, and read by tests). */
export interface Outcome {
  ok: boolean;
  detail: string;
}

const done = (detail: string): Outcome => ({ ok: true, detail });
const refused = (detail: string): Outcome => ({ ok: false, detail });

function untrusted(): Outcome | undefined {
  return vscode.workspace.isTrusted ? undefined : refused('not in an untrusted workspace');
}

export class ReportActions {
  constructor(
    private readonly ctx: GreenLensContext,
    private readonly service: ReportService,
  ) {}

  async run(recommendationId: string, kind: ActionKind): Promise<Outcome> {
    const cur = this.service.current;
    const rec = cur?.report.recommendations.find((r) => r.id === recommendationId);
    if (!cur || !rec)
      return refused(`no recommendation ${JSON.stringify(recommendationId.slice(0, 80))} in the current report`);
    if (kind === 'openRule') return this.openRule(rec);
    if (rec.action?.type !== kind) return refused(`recommendation ${rec.id} has no ${kind} action`);
    return untrusted() ?? (kind === 'saveVariant' ? this.saveVariant(cur, rec) : this.applyEdit(cur, rec));
  }

  private async openRule(rec: ReportRecommendation): Promise<Outcome> {
    const id = rec.ruleId;
    if (!id || !/^GL\d{3}$/.test(id)) return refused(`recommendation ${rec.id} names no rule`);
    const file = this.ctx.asset('docs', 'rules', `${id}.md`);
    if (!existsSync(file)) return refused(`no page for rule ${id}`);
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
    return done(`opened rule ${id}`);
  }

  /** Copies a measured variant, which the profiler wrote to the extension's storage, where the user chooses. */
  private async saveVariant(cur: CurrentReport, rec: ReportRecommendation): Promise<Outcome> {
    const a = rec.action;
    if (a?.type !== 'saveVariant') return refused('not a variant');
    const storage = this.ctx.extension.globalStorageUri.fsPath;
    const rel = path.relative(storage, a.modelPath);
    if (rel.startsWith('..') || path.isAbsolute(rel) || !existsSync(a.modelPath))
      return refused(`the variant file of ${rec.id} is not in GreenLens's storage any more: profile the model again`);
    const model = cur.files.get(cur.report.models.find((m) => m.id === a.modelId)?.file ?? '');
    const base = model ? path.basename(model.fsPath, '.onnx') : 'model';
    const safeVariant = a.variantId.replace(/[^A-Za-z0-9._-]+/g, '_');
    const defaultUri = vscode.Uri.joinPath(
      model
        ? vscode.Uri.joinPath(model, '..')
        : (vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(storage)),
      `${base}.${safeVariant}.onnx`,
    );
    const target = await vscode.window.showSaveDialog({
      defaultUri,
      filters: { 'ONNX model': ['onnx'] },
      title: `Save ${rec.title}`,
    });
    if (!target) return refused('cancelled');
    await vscode.workspace.fs.copy(vscode.Uri.file(a.modelPath), target, { overwrite: true });
    void vscode.window.showInformationMessage(
      `GreenLens: saved ${rec.title} as ${vscode.workspace.asRelativePath(target)}.`,
    );
    return done(`saved ${a.variantId}`);
  }

  /**
   * Proposes the recommendation's edit in the refactor preview (needsConfirmation): nothing changes until
   * the user applies it. The edit is the report's own, and only while the file still has the text the
   * report was built from; otherwise the report is rebuilt and the recommendation looked up again.
   */
  private async applyEdit(cur: CurrentReport, rec: ReportRecommendation, retried = false): Promise<Outcome> {
    const a = rec.action;
    if (a?.type !== 'applyEdit') return refused('not an edit');
    const uri = cur.files.get(a.file);
    if (!uri) return refused(`${a.file} is not a file of this report`);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty) {
      void vscode.window.showWarningMessage(
        `GreenLens: save ${a.file} first; the recommendation was made for the saved file.`,
      );
      return refused('the file has unsaved changes');
    }
    if (doc.getText() !== cur.sources.get(a.file)) {
      if (retried) return refused(`${a.file} changed since the report was built`);
      const next = await this.service.rebuild();
      const again = next?.report.recommendations.find((r) => r.id === rec.id);
      if (!next || again?.action?.type !== 'applyEdit') {
        void vscode.window.showWarningMessage(`GreenLens: ${a.file} changed and the recommendation no longer applies.`);
        return refused('the recommendation no longer applies');
      }
      return this.applyEdit(next, again, true);
    }
    const edit = new vscode.WorkspaceEdit();
    const meta: vscode.WorkspaceEditEntryMetadata = {
      label: rec.title.replace(/`/g, ''),
      description: 'GreenLens recommendation',
      needsConfirmation: true,
    };
    for (const e of a.edits) {
      const range = new vscode.Range(
        e.range.start.line,
        e.range.start.character,
        e.range.end.line,
        e.range.end.character,
      );
      if (!doc.validateRange(range).isEqual(range)) return refused(`an edit of ${rec.id} lies outside ${a.file}`);
      edit.replace(uri, range, e.newText, meta);
    }
    const applied = await vscode.workspace.applyEdit(edit);
    return applied ? done(`proposed ${a.edits.length} edit(s) to ${a.file}`) : refused('the edit was not applied');
  }

  async requestProfile(modelId: string): Promise<Outcome> {
    const cur = this.service.current;
    const model = cur?.report.models.find((m) => m.id === modelId);
    if (!cur || !model) return refused('no such model in the current report');
    if (model.kind !== 'onnx') return refused(`${model.name} is not an ONNX file`);
    const uri = cur.files.get(model.file);
    if (!uri) return refused(`${model.file} is not a file of this report`);
    const blocked = untrusted();
    if (blocked) return blocked;
    // The command asks for the inputs (random or a dataset) and updates the report when it finishes.
    void vscode.commands.executeCommand(Commands.profileOnnxModel, uri);
    return done(`profiling ${model.file}`);
  }

  async openFile(file: string, line?: number): Promise<Outcome> {
    const uri = this.service.current?.files.get(file);
    if (!uri) return refused('not a file of the current report');
    if (file.endsWith('.onnx')) {
      await vscode.commands.executeCommand('vscode.open', uri);
      return done(`opened ${file}`);
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = doc.validatePosition(new vscode.Position(Math.max(0, (line ?? 1) - 1), 0));
    await vscode.window.showTextDocument(doc, {
      selection: new vscode.Range(at, at),
      viewColumn: vscode.ViewColumn.One,
    });
    return done(`opened ${file}:${at.line + 1}`);
  }

  /** Writes the report in a format where the user chooses (HTML is self-contained and works offline). */
  async exportReport(format: ExportFormat, target?: vscode.Uri): Promise<Outcome> {
    const cur = this.service.current;
    if (!cur) return refused('no report yet');
    const names: Record<ExportFormat, [string, string]> = {
      html: ['HTML page', 'html'],
      md: ['Markdown', 'md'],
      json: ['JSON', 'json'],
      csv: ['CSV table', 'csv'],
    };
    const [label, ext] = names[format];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, `greenlens-report.${ext}`) : undefined,
        filters: { [label]: [ext] },
        title: `Export the GreenLens report as ${label}`,
      }));
    if (!uri) return refused('cancelled');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(this.render(cur.report, format), 'utf8'));
    void vscode.window.showInformationMessage(`GreenLens: report written to ${vscode.workspace.asRelativePath(uri)}.`);
    return done(`exported ${format}`);
  }

  /** The exporters load on first use: the editor does not need them until someone exports. */
  private render(report: Report, format: ExportFormat): string {
    return lazyModules.reportRender().renderReport(report, format, this.ctx.asset('dist'));
  }
}
