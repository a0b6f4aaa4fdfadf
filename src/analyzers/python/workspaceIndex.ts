/**
 * Cross-file resolution of model classes: `from models import Generator` in one file finds
 * `class Generator(nn.Module)` in `models.py` of the same workspace, through relative imports, packages'
 * `__init__.py` re-exports and bases defined in yet another file. Each module is parsed once per version
 * (its modification time and size): the editor re-analyzes a file on every edit, and that must not re-read
 * the workspace each time.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { extractFacts } from './extract';
import type { ImportTable } from './imports';
import { limitReason } from './limits';
import { loadedPythonGrammar, parsePython } from './treeSitter';
import { classSummaries, modelClasses, type ClassSummary, type ModelClass, type WorkspaceResolver } from './userModels';

/** What the index keeps of one module file. */
interface ModuleEntry {
  mtimeMs: number;
  size: number;
  imports: ImportTable;
  classes: ClassSummary[];
  /** Names of the module's top-level functions. */
  functions: Set<string>;
  /** Model classes of the module, computed on first use. */
  models?: Map<string, ModelClass>;
}

/** File access, replaceable in tests. */
export interface IndexFs {
  stat(file: string): { mtimeMs: number; size: number; isFile: boolean } | undefined;
  read(file: string): string;
}

const nodeFs: IndexFs = {
  stat(file) {
    try {
      const s = statSync(file);
      return { mtimeMs: s.mtimeMs, size: s.size, isFile: s.isFile() };
    } catch {
      return undefined;
    }
  },
  read: (file) => readFileSync(file, 'utf8'),
};

/** Bounds the chains of re-exports and bases that one lookup follows. */
const MAX_DEPTH = 8;

/** Model classes of the Python files under one workspace folder, read lazily and cached per file version. */
export class PythonWorkspaceIndex implements WorkspaceResolver {
  private readonly modules = new Map<string, ModuleEntry | null>();
  /** Existing files of a module seen from a folder, found by `stat` and kept for a short while. */
  private readonly located = new Map<string, { at: number; files: string[] }>();
  /** How many module files were parsed: tests use it to check that unchanged files are not read again. */
  parses = 0;

  /**
   * @param locateTtlMs how long the files found for an import stay known before they are looked up again
   *   (a file created meanwhile is found after this delay; edits to known files are seen at once).
   */
  constructor(
    readonly root: string,
    private readonly fs: IndexFs = nodeFs,
    private readonly locateTtlMs = 2000,
  ) {}

  modelClass(file: string | undefined, qualified: string): ModelClass | undefined {
    return this.lookup(file ?? path.join(this.root, '__main__.py'), qualified, 0);
  }

  isFunction(file: string | undefined, qualified: string): boolean {
    const dot = qualified.lastIndexOf('.');
    if (dot <= 0 && !qualified.startsWith('.')) return false;
    const from = file ?? path.join(this.root, '__main__.py');
    for (const moduleFile of this.moduleFiles(from, qualified.slice(0, dot))) {
      const entry = this.entry(moduleFile);
      if (entry) return entry.functions.has(qualified.slice(dot + 1));
    }
    return false;
  }

  private lookup(fromFile: string, qualified: string, depth: number): ModelClass | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const dot = qualified.lastIndexOf('.');
    if (dot <= 0 && !qualified.startsWith('.')) return undefined;
    const modulePath = qualified.slice(0, dot);
    const name = qualified.slice(dot + 1);
    for (const moduleFile of this.moduleFiles(fromFile, modulePath)) {
      const entry = this.entry(moduleFile);
      if (!entry) continue;
      entry.models ??= modelClasses(entry.classes, entry.imports, (q) => this.lookup(moduleFile, q, depth + 1));
      const found = entry.models.get(name);
      if (found) return found;
      // A package re-exports the class (`from .generator import Generator` in `__init__.py`).
      const reexport = entry.imports.names.get(name);
      if (reexport && reexport !== qualified) return this.lookup(moduleFile, reexport, depth + 1);
      return undefined;
    }
    return undefined;
  }

  /** Candidate files of a module seen from a file: relative to it for `.mod`, else from its folder upwards to the root. */
  private moduleFiles(fromFile: string, modulePath: string): string[] {
    const key = `${path.dirname(fromFile)}\0${modulePath}`;
    const now = Date.now();
    const hit = this.located.get(key);
    if (hit && now - hit.at < this.locateTtlMs) return hit.files;
    const files = this.locate(fromFile, modulePath);
    this.located.set(key, { at: now, files });
    return files;
  }

  private locate(fromFile: string, modulePath: string): string[] {
    const rel = /^(\.+)(.*)$/.exec(modulePath);
    const parts = (rel ? (rel[2] ?? '') : modulePath).split('.').filter(Boolean);
    const bases: string[] = [];
    if (rel) {
      let dir = path.dirname(fromFile);
      for (let i = 1; i < (rel[1] ?? '.').length; i++) dir = path.dirname(dir);
      bases.push(dir);
    } else {
      const root = path.resolve(this.root);
      for (let dir = path.dirname(path.resolve(fromFile)); ; dir = path.dirname(dir)) {
        bases.push(dir);
        if (dir === root || !dir.startsWith(root) || path.dirname(dir) === dir) break;
      }
    }
    const out: string[] = [];
    for (const base of bases) {
      const stem = path.join(base, ...parts);
      if (parts.length > 0) out.push(`${stem}.py`);
      out.push(path.join(stem, '__init__.py'));
    }
    return out.filter((f) => this.fs.stat(f)?.isFile === true);
  }

  /** The module's facts for its current version, parsed again only when its time or size changed. */
  private entry(file: string): ModuleEntry | undefined {
    const st = this.fs.stat(file);
    const cached = this.modules.get(file);
    if (cached && st && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
    if (cached === null && !st) return undefined;
    const entry = st ? this.parse(file, st) : undefined;
    this.modules.set(file, entry ?? null);
    return entry;
  }

  private parse(file: string, st: { mtimeMs: number; size: number }): ModuleEntry | undefined {
    const grammar = loadedPythonGrammar();
    if (!grammar) return undefined;
    let source: string;
    try {
      source = this.fs.read(file);
    } catch {
      return undefined;
    }
    if (source.includes('\0') || limitReason(source)) return undefined;
    this.parses++;
    const parsed = parsePython(grammar, source, { timeoutMs: 2000 });
    if (!parsed.tree) return undefined;
    try {
      const facts = extractFacts(parsed.tree.rootNode, source);
      const functions = new Set([...source.matchAll(/^(?:async[ \t]+)?def[ \t]+(\w+)/gm)].map((m) => m[1] ?? ''));
      return {
        mtimeMs: st.mtimeMs,
        size: st.size,
        imports: facts.imports,
        functions,
        classes: classSummaries(facts).map((c) => ({ ...c, body: (c.body + ' ').slice(0, -1) })),
      };
    } finally {
      parsed.tree.delete();
    }
  }
}

const indexes = new Map<string, PythonWorkspaceIndex>();

/** The process-wide index of a workspace folder (one per folder, so that every analysis shares its cache). */
export function workspaceIndexFor(root: string): PythonWorkspaceIndex {
  const key = path.resolve(root);
  let index = indexes.get(key);
  if (!index) indexes.set(key, (index = new PythonWorkspaceIndex(key)));
  return index;
}

/** The index of the workspace folder that contains a file (the innermost one), if any. */
export function resolverFor(file: string, roots: readonly string[] | undefined): PythonWorkspaceIndex | undefined {
  if (!roots?.length) return undefined;
  const abs = path.resolve(file);
  const inside = roots
    .map((r) => path.resolve(r))
    .filter((r) => abs.startsWith(r + path.sep))
    .sort((a, b) => b.length - a.length);
  return inside[0] ? workspaceIndexFor(inside[0]) : undefined;
}

/** A resolver for one open document: lookups are made from the document's own path. */
export function documentResolver(root: string, file: string): WorkspaceResolver {
  const index = workspaceIndexFor(root);
  return {
    modelClass: (_from, q) => index.modelClass(file, q),
    isFunction: (_from, q) => index.isFunction(file, q),
  };
}
