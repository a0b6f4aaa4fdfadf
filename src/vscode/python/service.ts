/**
 * The Python feature's shared state: the lazily loaded engine (grammar, catalog, energy models), the
 * resolved hardware, the diagnostics collection, and error reporting that logs everything and shows a
 * message at most once per kind of failure.
 */
import * as vscode from 'vscode';
import type { PythonDocumentAnalyzer, SiteRule } from '../../analyzers/python/index';
import type { Finding } from '../../analyzers/python/types';
import type { ResolvedHardware } from '../../energy/detect';
import type { Settings } from '../../settings';
import type { GreenLensContext } from '../context';
import { Hardware } from '../hardware';
import { lazyModules } from '../lazyModules';
import type { DocumentResult } from './documents';
import type { SiteModel } from './model';

import type * as LazyCoreModule from './lazyCore';

/** The lazily loaded, pure half of the feature. */
export type LazyCore = typeof LazyCoreModule;

/** What the document tracker needs from its owner. */
export interface PythonEngine {
  analyze(
    doc: vscode.TextDocument,
    signal: AbortSignal,
    analyzerFor: (make: (text: string) => PythonDocumentAnalyzer) => PythonDocumentAnalyzer,
  ): Promise<DocumentResult | undefined>;
  closed(uri: vscode.Uri): void;
  failed(uri: vscode.Uri, err: unknown): void;
}

/** Parse time limit per editor analysis: past it the file is reported as too big, the host stays responsive. */
const EDITOR_TIMEOUT_MS = 2000;

export class PythonService implements PythonEngine, vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('GreenLens');
  /** Files whose diagnostics come from Analyze Workspace: they stay when their editor closes. */
  readonly fromWorkspace = new Set<string>();
  private enginePromise: Promise<LazyCore> | undefined;
  private hw: { profile: string; promise: Promise<ResolvedHardware | undefined> } | undefined;
  private readonly shown = new Set<string>();
  private siteRule: SiteRule | undefined;

  constructor(private readonly ctx: GreenLensContext) {}

  get settings(): Settings {
    return this.ctx.config.settings;
  }

  /** Loads the engine module and the WASM grammar once, on first use. */
  engine(): Promise<LazyCore> {
    this.enginePromise ??= (async () => {
      const t0 = performance.now();
      const eng = lazyModules.pythonEngine();
      await eng.loadPythonGrammar(this.ctx.asset('dist'));
      this.ctx.log.info(`Python analyzer loaded in ${(performance.now() - t0).toFixed(0)} ms`);
      return eng;
    })();
    // A failed load is reported once and retried on the next document, not cached forever.
    this.enginePromise.catch(() => {
      this.enginePromise = undefined;
    });
    return this.enginePromise;
  }

  /** The hardware estimates are made for; detection runs once, the profile setting is applied each time. */
  hardware(): Promise<ResolvedHardware | undefined> {
    const profile = this.settings.hardwareProfile;
    if (this.hw?.profile !== profile) {
      const detection = this.ctx.feature(Hardware);
      const promise = this.engine()
        .then(() => detection.resolve(profile))
        .catch((err: unknown) => {
          this.report('hardware', 'could not detect the hardware', err);
          return undefined;
        });
      this.hw = { profile, promise };
    }
    return this.hw.promise;
  }

  /** Describes a site of a result, reusing the description made during the analysis. */
  async describe(result: DocumentResult, index: number): Promise<SiteModel | undefined> {
    const site = result.analysis.sites[index];
    if (!site) return undefined;
    const cached = result.described.get(index);
    if (cached) return cached;
    const [eng, hw] = await Promise.all([this.engine(), this.hardware()]);
    const m = eng.describeSite(site, this.settings, hw?.primary);
    result.described.set(index, m);
    return m;
  }

  async analyze(
    doc: vscode.TextDocument,
    signal: AbortSignal,
    analyzerFor: (make: (text: string) => PythonDocumentAnalyzer) => PythonDocumentAnalyzer,
  ): Promise<DocumentResult | undefined> {
    const eng = await this.engine();
    const hw = await this.hardware();
    signal.throwIfAborted();
    const settings = this.settings;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    const analyzer = analyzerFor(
      (text) =>
        new eng.PythonDocumentAnalyzer(text, {
          timeoutMs: EDITOR_TIMEOUT_MS,
          // Model classes imported from other files of the folder; the index re-reads a file only when it changed.
          workspace: folder && doc.uri.scheme === 'file' ? eng.documentResolver(folder, doc.uri.fsPath) : undefined,
          severity: settings.diagnosticsSeverity === 'default' ? {} : { all: settings.diagnosticsSeverity },
          // The analyzer keeps these options; the rule itself is swapped per run below.
          siteRules: [(site, i) => this.siteRule?.(site, i) ?? []],
        }),
    );
    const described = new Map<number, SiteModel>();
    this.siteRule = eng.catalogSiteRule(() => analyzer.source, settings, hw, described);
    const analysis = (() => {
      try {
        return analyzer.analyze(signal);
      } finally {
        this.siteRule = undefined;
      }
    })();
    const result: DocumentResult = { uri: doc.uri, version: doc.version, source: analyzer.source, analysis, described };
    this.noteProblems(doc.uri, result);
    this.publish(doc.uri, analysis.findings);
    return result;
  }

  /** Logs why a document was not (fully) analyzed, and says so once per file. */
  private noteProblems(uri: vscode.Uri, r: DocumentResult): void {
    const name = vscode.workspace.asRelativePath(uri);
    if (r.analysis.incomplete === 'timeout') {
      this.report(
        `timeout:${uri.toString()}`,
        `stopped analyzing ${name}: parsing took longer than ${EDITOR_TIMEOUT_MS / 1000} s`,
      );
    }
    const errors = r.analysis.parseErrors ?? [];
    if (errors.length > 0)
      this.ctx.log.debug(
        `${name}: ${errors.length} syntax error(s), first at line ${(errors[0]?.range.start.line ?? 0) + 1}: ${errors[0]?.message ?? ''}`,
      );
    if (errors.some((e) => e.message.includes('NUL bytes')))
      this.report(`binary:${uri.toString()}`, `did not analyze ${name}: ${errors[0]?.message ?? 'it looks binary'}`);
    // Over a nesting or size limit, or the parser faulted: the message says which.
    const skipped = errors.find((e) => e.message.startsWith('Not analyzed:'));
    if (skipped) this.report(`skipped:${uri.toString()}`, `${name}: ${skipped.message}`);
  }

  /** Converts findings to diagnostics (nothing when diagnostics are off). */
  publish(uri: vscode.Uri, findings: readonly Finding[]): void {
    if (!this.settings.diagnosticsEnabled) {
      this.diagnostics.delete(uri);
      return;
    }
    this.diagnostics.set(
      uri,
      findings.map((f) => this.toDiagnostic(f)),
    );
  }

  /** The documentation page of a rule, shipped with the extension. */
  ruleDocs(ruleId: string): vscode.Uri {
    return vscode.Uri.file(this.ctx.asset('docs', 'rules', `${ruleId}.md`));
  }

  private toDiagnostic(f: Finding): vscode.Diagnostic {
    const r = f.range;
    const d = new vscode.Diagnostic(
      new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
      f.message,
      SEVERITY[f.severity],
    );
    d.source = 'GreenLens';
    d.code = { value: f.ruleId, target: this.ruleDocs(f.ruleId) };
    return d;
  }

  closed(uri: vscode.Uri): void {
    if (!this.fromWorkspace.has(uri.toString())) this.diagnostics.delete(uri);
  }

  failed(uri: vscode.Uri, err: unknown): void {
    this.report(`analyze:${uri.toString()}`, `could not analyze ${vscode.workspace.asRelativePath(uri)}`, err);
  }

  /** Logs a failure with its stack, and shows it to the user the first time this key fails. */
  report(key: string, what: string, err?: unknown): void {
    const detail = err === undefined ? '' : `: ${(err as Error)?.message ?? String(err)}`;
    this.ctx.log.error(`${what}${err instanceof Error && err.stack ? `\n${err.stack}` : detail}`);
    if (this.shown.has(key)) return;
    this.shown.add(key);
    void vscode.window.showWarningMessage(`GreenLens ${what}${detail}. Details are in the GreenLens output channel.`);
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  hint: vscode.DiagnosticSeverity.Hint,
  information: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
  error: vscode.DiagnosticSeverity.Error,
};
