/**
 * Finds the Python files and ONNX models of a folder, honouring .gitignore files and always skipping
 * folders that never hold user model code (virtual environments, node_modules, VCS metadata) and folders
 * GreenLens wrote itself (marked with OUTPUT_MARKER), so that a report's own variants never become models
 * of the next report.
 */
import { mkdir, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WorkspaceFiles {
  python: string[];
  onnx: string[];
}

/** The file that marks a folder as GreenLens's own output (reports, variant models, caches). */
export const OUTPUT_MARKER = '.greenlens-output';

const MARKER_TEXT =
  'GreenLens wrote this folder (reports, optimized variants, caches). GreenLens never analyzes a folder holding this file.\n';

/** Creates `dir` if needed and marks it as GreenLens's output, which workspace discovery then skips. */
export async function markOutputFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, OUTPUT_MARKER), MARKER_TEXT);
}

const ALWAYS_SKIPPED = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  'site-packages',
  '.ipynb_checkpoints',
]);

export interface FindOptions {
  /** Extra gitignore-style patterns (the `greenlens.exclude` setting). */
  exclude?: string[];
  /** Stop after this many files of each kind. */
  limit?: number;
  signal?: AbortSignal;
}

async function readIgnore(dir: string): Promise<string[]> {
  try {
    return (await readFile(path.join(dir, '.gitignore'), 'utf8')).split(/\r?\n/);
  } catch {
    return [];
  }
}

export async function findWorkspaceFiles(root: string, opts: FindOptions = {}): Promise<WorkspaceFiles> {
  const result: WorkspaceFiles = { python: [], onnx: [] };
  const limit = opts.limit ?? 100_000;
  const base = ignore().add(opts.exclude ?? []);
  async function walk(dir: string, rules: { ig: Ignore; at: string }[]): Promise<void> {
    opts.signal?.throwIfAborted();
    const local = await readIgnore(dir);
    const scopes = local.length ? [...rules, { ig: ignore().add(local), at: dir }] : rules;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // Unreadable folders are skipped, not fatal.
    }
    if (entries.some((e) => e.name === OUTPUT_MARKER && e.isFile())) return;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const isDir = e.isDirectory();
      if (isDir && ALWAYS_SKIPPED.has(e.name)) continue;
      const ignored = scopes.some(({ ig, at }) => {
        const rel = path.relative(at, full).split(path.sep).join('/');
        return rel !== '' && !rel.startsWith('..') && ig.ignores(isDir ? rel + '/' : rel);
      });
      if (ignored) continue;
      if (isDir) await walk(full, scopes);
      else if (e.isFile() || (e.isSymbolicLink() && (await isLinkToFile(full)))) {
        if (e.isSymbolicLink()) links.add(full);
        if (e.name.endsWith('.py') && result.python.length < limit) result.python.push(full);
        else if (e.name.endsWith('.onnx') && result.onnx.length < limit) result.onnx.push(full);
      }
    }
  }
  const links = new Set<string>();
  await walk(root, [{ ig: base, at: root }]);
  if (links.size === 0) return result;
  return {
    python: await withoutDuplicateLinks(result.python, links),
    onnx: await withoutDuplicateLinks(result.onnx, links),
  };
}

/**
 * Links to files are followed (a project may link a shared script in); links to folders are not, so a
 * link loop cannot make the walk endless.
 */
async function isLinkToFile(file: string): Promise<boolean> {
  return stat(file).then(
    (st) => st.isFile(),
    () => false,
  );
}

/** Drops links whose target the walk found already (or through another link), keeping the walk's order. */
async function withoutDuplicateLinks(files: string[], links: Set<string>): Promise<string[]> {
  const real = await Promise.all(files.map((f) => realpath(f).catch(() => f)));
  const seen = new Set(real.filter((_, i) => !links.has(files[i] as string)));
  return files.filter((f, i) => {
    if (!links.has(f)) return true;
    const r = real[i] as string;
    if (seen.has(r)) return false;
    seen.add(r);
    return true;
  });
}
