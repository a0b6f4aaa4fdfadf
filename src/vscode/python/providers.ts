/**
 * The editor providers of the Python feature: code lenses on model sites and training loops, the model-card
 * hover, and quick fixes keyed on the diagnostic code (the rule id). Every provider catches its own errors:
 * a failure is logged and shown once, and the provider answers with nothing rather than throwing.
 */
import * as vscode from 'vscode';
import type { Finding, Range as PlainRange } from '../../analyzers/python/types';
import { InternalCommands } from '../commands/ids';
import type { DocumentAnalyses, DocumentResult } from './documents';
import type { PythonService } from './service';

/** The titles of the lens actions, short so that they stay on screen beside the summary. */
export const LENS_ACTIONS = { profile: 'Profile', greener: 'Greener…' } as const;

function toRange(r: PlainRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

async function guarded<T>(service: PythonService, what: string, fallback: T, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    service.report(`provider:${what}`, `${what} failed`, err);
    return fallback;
  }
}

/** Code lenses above model sites and training loops. */
export class PythonCodeLenses implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly service: PythonService,
    private readonly docs: DocumentAnalyses,
  ) {}

  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return guarded(this.service, 'the Python code lenses', [], async () => {
      if (!this.service.settings.codeLensEnabled) return [];
      const result = await this.docs.result(doc, token);
      if (!result || token.isCancellationRequested) return [];
      return [...(await this.siteLenses(result)), ...(await this.trainingLenses(result))];
    });
  }

  private async siteLenses(result: DocumentResult): Promise<vscode.CodeLens[]> {
    const eng = await this.service.engine();
    const lenses: vscode.CodeLens[] = [];
    for (const [i, site] of result.analysis.sites.entries()) {
      if (site.kind === 'define') continue;
      const m = await this.service.describe(result, i);
      if (!m) continue;
      const at = new vscode.Range(
        site.range.start.line,
        site.range.start.character,
        site.range.start.line,
        site.range.start.character,
      );
      const args = [result.uri, i];
      lenses.push(
        new vscode.CodeLens(at, {
          title: eng.siteLensTitle(m),
          command: InternalCommands.showDetails,
          arguments: args,
          tooltip: eng.siteLensTooltip(m),
        }),
      );
      lenses.push(
        new vscode.CodeLens(at, {
          title: LENS_ACTIONS.profile,
          command: InternalCommands.profileVariants,
          arguments: args,
          tooltip: 'Profile optimized variants of this model on this machine',
        }),
      );
      if (m.alternatives.length > 0)
        lenses.push(
          new vscode.CodeLens(at, {
            title: LENS_ACTIONS.greener,
            command: InternalCommands.alternatives,
            arguments: args,
            tooltip: 'Greener alternatives from the catalog',
          }),
        );
    }
    return lenses;
  }

  private async trainingLenses(result: DocumentResult): Promise<vscode.CodeLens[]> {
    if (result.analysis.trainingLoops.length === 0) return [];
    const [eng, hw] = await Promise.all([this.service.engine(), this.service.hardware()]);
    const lenses: vscode.CodeLens[] = [];
    for (const [i, loop] of result.analysis.trainingLoops.entries()) {
      const m = loop.site === undefined ? undefined : await this.service.describe(result, loop.site);
      const summary = eng.summarizeTraining(loop, m?.match?.entry.id, hw, this.service.settings);
      const at = new vscode.Range(loop.range.start.line, 0, loop.range.start.line, 0);
      lenses.push(
        new vscode.CodeLens(at, {
          title: summary.title,
          command: InternalCommands.trainingDetails,
          arguments: [result.uri, i],
          tooltip: 'Show what the estimate assumes',
        }),
      );
    }
    return lenses;
  }
}

/** The model card on hover over a model site. */
export class PythonHover implements vscode.HoverProvider {
  constructor(
    private readonly service: PythonService,
    private readonly docs: DocumentAnalyses,
  ) {}

  provideHover(
    doc: vscode.TextDocument,
    pos: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    return guarded(this.service, 'the Python hover', undefined, async () => {
      const result = await this.docs.result(doc, token);
      if (!result) return undefined;
      // The innermost site under the cursor: a site can sit inside another's arguments.
      const hits = result.analysis.sites
        .map((s, i) => ({ s, i, r: toRange(s.range) }))
        .filter((h) => h.r.contains(pos));
      const hit = hits.sort((a, b) => (a.r.contains(b.r) ? 1 : b.r.contains(a.r) ? -1 : 0))[0];
      if (!hit) return undefined;
      const m = await this.service.describe(result, hit.i);
      if (!m) return undefined;
      const eng = await this.service.engine();
      const md = new vscode.MarkdownString(eng.modelCardLines(m).join('\n'));
      return new vscode.Hover(md, hit.r);
    });
  }
}

function sameRange(a: vscode.Range, b: PlainRange): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Menus show plain text: code spans lose their backticks, and multi-word ones get quotes to stay readable. */
export function plainTitle(title: string): string {
  return title.replace(/`([^`]*)`/g, (_m, code: string) => (/\s/.test(code) ? `‘${code}’` : code));
}

function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== 'GreenLens') return undefined;
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** Quick fixes: the finding's own edits, greener alternatives for GL012, and the rule's documentation. */
export class PythonCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly service: PythonService,
    private readonly docs: DocumentAnalyses,
  ) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    return guarded(this.service, 'the GreenLens quick fixes', [], async () => {
      const ours = context.diagnostics.filter((d) => ruleOf(d) !== undefined);
      if (ours.length === 0) return [];
      const result = await this.docs.result(doc, token);
      // Taken from the engine (loaded by now) so that this module stays light at activation.
      const catalogRule = (await this.service.engine()).CATALOG_ALTERNATIVE_RULE_ID;
      const actions: vscode.CodeAction[] = [];
      const documented = new Set<string>();
      for (const d of ours) {
        const ruleId = ruleOf(d)!;
        const finding =
          result?.version === doc.version
            ? result.analysis.findings.find((f) => f.ruleId === ruleId && sameRange(d.range, f.range))
            : undefined;
        if (finding) actions.push(...this.fixes(doc, d, finding, catalogRule));
        if (!documented.has(ruleId)) {
          documented.add(ruleId);
          const docsAction = new vscode.CodeAction(
            `Show rule documentation (${ruleId})`,
            vscode.CodeActionKind.QuickFix,
          );
          docsAction.command = { title: docsAction.title, command: InternalCommands.ruleDocs, arguments: [ruleId] };
          docsAction.diagnostics = [d];
          actions.push(docsAction);
        }
      }
      return actions;
    });
  }

  private fixes(doc: vscode.TextDocument, d: vscode.Diagnostic, f: Finding, catalogRule: string): vscode.CodeAction[] {
    if (f.ruleId === catalogRule && f.site !== undefined) {
      const a = new vscode.CodeAction('Choose a greener alternative…', vscode.CodeActionKind.QuickFix);
      a.command = { title: a.title, command: InternalCommands.alternatives, arguments: [doc.uri, f.site] };
      a.diagnostics = [d];
      return [a];
    }
    if (!f.fix || f.fix.edits.length === 0) return [];
    const a = new vscode.CodeAction(plainTitle(f.fix.title), vscode.CodeActionKind.QuickFix);
    a.edit = new vscode.WorkspaceEdit();
    for (const e of f.fix.edits) a.edit.replace(doc.uri, toRange(e.range), e.newText);
    a.diagnostics = [d];
    a.isPreferred = true;
    return [a];
  }
}
