/**
 * One incremental analyzer per open Python document: edits are applied to it as they arrive (typing never
 * waits), analysis runs debounced, stale runs are cancelled, and results are published to listeners
 * (diagnostics, code lenses). The grammar and the catalog load on the first Python document.
 */
import * as vscode from 'vscode';
import type { PythonAnalysis } from '../../analyzers/python/types';
import type { PythonDocumentAnalyzer } from '../../analyzers/python/index';
import { timerDelay } from '../../settings';
import type { SiteModel } from './model';
import type { PythonEngine } from './service';

/** The analysis of one document version, with the catalog descriptions made while analyzing it. */
export interface DocumentResult {
  uri: vscode.Uri;
  version: number;
  source: string;
  analysis: PythonAnalysis;
  described: Map<number, SiteModel>;
}

interface DocState {
  doc: vscode.TextDocument;
  analyzer?: PythonDocumentAnalyzer;
  /** The document version the analyzer's text matches. */
  synced: number;
  timer?: ReturnType<typeof setTimeout>;
  abort?: AbortController;
  result?: DocumentResult;
  waiters: ((r: DocumentResult | undefined) => void)[];
}

const DEBOUNCE_MS = 250;
/** A provider waits at most this long for an analysis before answering with what it has. */
const WAIT_MS = 15_000;

/** Whether GreenLens analyzes this document. */
export function isPython(doc: vscode.TextDocument): boolean {
  return (
    doc.languageId === 'python' &&
    (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled' || doc.uri.scheme === 'vscode-remote')
  );
}

/** Tracks open Python documents; `analyzeNow` does the work with the engine the owner provides. */
export class DocumentAnalyses implements vscode.Disposable {
  private readonly states = new Map<string, DocState>();
  private readonly emitter = new vscode.EventEmitter<DocumentResult | undefined>();
  private readonly subs: vscode.Disposable[] = [];
  /** Fires with a new result, or undefined when results were dropped (document closed, settings changed). */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly engine: PythonEngine) {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.open(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.change(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.close(d)),
    );
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  private open(doc: vscode.TextDocument): void {
    if (!isPython(doc) || this.states.has(doc.uri.toString())) return;
    this.states.set(doc.uri.toString(), { doc, synced: -1, waiters: [] });
    this.schedule(doc.uri.toString(), 0);
  }

  /** Applies each change to the analyzer's tree right away (cheap) and debounces the re-analysis. */
  private change(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const st = this.states.get(key);
    if (!st || e.contentChanges.length === 0) return;
    st.doc = e.document;
    if (st.analyzer && st.synced === e.document.version - 1) {
      for (const c of e.contentChanges) {
        st.analyzer.update({
          startIndex: c.rangeOffset,
          oldEndIndex: c.rangeOffset + c.rangeLength,
          start: { line: c.range.start.line, character: c.range.start.character },
          oldEnd: { line: c.range.end.line, character: c.range.end.character },
          newText: c.text,
        });
      }
      st.synced = e.document.version;
    }
    this.schedule(key, DEBOUNCE_MS);
  }

  private close(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const st = this.states.get(key);
    if (!st) return;
    this.cancel(st);
    st.analyzer?.dispose();
    this.states.delete(key);
    for (const w of st.waiters.splice(0)) w(undefined);
    this.engine.closed(doc.uri);
  }

  private cancel(st: DocState): void {
    if (st.timer) clearTimeout(st.timer);
    st.timer = undefined;
    st.abort?.abort(new Error('superseded'));
    st.abort = undefined;
  }

  private schedule(key: string, delay: number): void {
    const st = this.states.get(key);
    if (!st) return;
    this.cancel(st);
    const abort = new AbortController();
    st.abort = abort;
    st.timer = setTimeout(() => void this.run(key, abort.signal), timerDelay(delay));
  }

  /** Re-analyzes every open document from scratch (settings changed). */
  refreshAll(): void {
    for (const [key, st] of this.states) {
      st.analyzer?.dispose();
      st.analyzer = undefined;
      st.synced = -1;
      this.schedule(key, 0);
    }
  }

  private async run(key: string, signal: AbortSignal): Promise<void> {
    const st = this.states.get(key);
    if (!st) return;
    st.timer = undefined;
    try {
      const result = await this.engine.analyze(st.doc, signal, (make) => {
        // The analyzer follows the document through `change`; a missed event (or none yet) rebuilds it.
        if (!st.analyzer || st.synced !== st.doc.version) {
          st.analyzer?.dispose();
          st.analyzer = make(st.doc.getText());
          st.synced = st.doc.version;
        }
        return st.analyzer;
      });
      if (signal.aborted || this.states.get(key) !== st || !result) return;
      st.result = result;
      for (const w of st.waiters.splice(0)) w(result);
      this.emitter.fire(result);
    } catch (err) {
      if (signal.aborted) return;
      this.engine.failed(st.doc.uri, err);
      for (const w of st.waiters.splice(0)) w(st.result);
    } finally {
      if (st.abort?.signal === signal) st.abort = undefined;
    }
  }

  /** The latest result of a document, waiting for the analysis of its current version when one is due. */
  async result(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentResult | undefined> {
    this.open(doc);
    const st = this.states.get(doc.uri.toString());
    if (!st) return undefined;
    if (st.result && st.result.version === doc.version) return st.result;
    if (!st.timer && !st.abort) this.schedule(doc.uri.toString(), 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(st.result), WAIT_MS);
      const done = (r: DocumentResult | undefined): void => {
        clearTimeout(timer);
        resolve(r);
      };
      st.waiters.push(done);
      token?.onCancellationRequested(() => done(st.result));
    });
  }

  /** The latest result without waiting (for quick look-ups such as commands from a lens). */
  latest(uri: vscode.Uri): DocumentResult | undefined {
    return this.states.get(uri.toString())?.result;
  }

  /** Every current result (to republish diagnostics after a settings change). */
  all(): DocumentResult[] {
    return [...this.states.values()].flatMap((s) => (s.result ? [s.result] : []));
  }

  dispose(): void {
    for (const st of this.states.values()) {
      this.cancel(st);
      st.analyzer?.dispose();
    }
    this.states.clear();
    for (const s of this.subs) s.dispose();
    this.emitter.dispose();
  }
}
