/**
 * Recall and precision of model sites on the labelled real-world corpus (test/fixtures/real-world): real
 * Python files from public repositories, with every model creation, load and wrapper line labelled by
 * hand. Each repository's folder is analyzed as one workspace, so classes imported from another file of
 * the same repository resolve as they do in the editor. A reported site (definitions aside) counts as
 * correct when its first line is a labelled site line; a labelled line without a site is a miss.
 *
 * Usage: npm run bench:sites [-- --verbose]   (verbose lists every miss and every false site)
 * Ends with: RESULT sites files=<n> recall=<r> precision=<p>
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzePython } from '../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../src/analyzers/python/treeSitter';
import { PythonWorkspaceIndex } from '../src/analyzers/python/workspaceIndex';

interface Manifest {
  files: { repository: string; commit: string; path: string; licence: string; file: string }[];
}
interface Labels {
  files: Record<string, { sites: { line: number; framework: string }[]; not: { line: number }[] }>;
}
interface Tally {
  tp: number;
  fn: number;
  fp: number;
}

const ROOT = path.join(__dirname, '..', 'test', 'fixtures', 'real-world');

function tally(map: Map<string, Tally>, fw: string): Tally {
  let t = map.get(fw);
  if (!t) map.set(fw, (t = { tp: 0, fn: 0, fp: 0 }));
  return t;
}

const pct = (num: number, den: number): string =>
  den === 0 ? '   -  ' : `${((100 * num) / den).toFixed(1).padStart(5)}%`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
  await loadPythonGrammar();
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8')) as Manifest;
  const labels = JSON.parse(readFileSync(path.join(ROOT, 'labels.json'), 'utf8')) as Labels;
  const byFw = new Map<string, Tally>();
  const indexes = new Map<string, PythonWorkspaceIndex>();
  const notes: string[] = [];
  for (const entry of manifest.files) {
    const repoDir = path.join(ROOT, entry.file.split('/')[0] ?? '');
    let index = indexes.get(repoDir);
    if (!index) indexes.set(repoDir, (index = new PythonWorkspaceIndex(repoDir)));
    const file = path.join(ROOT, entry.file);
    const source = readFileSync(file, 'utf8');
    const analysis = analyzePython(source, { file, workspace: index });
    const label = labels.files[entry.file] ?? { sites: [], not: [] };
    const wanted = new Map(label.sites.map((s) => [s.line, s.framework]));
    const found = new Map<number, string>();
    for (const s of analysis.sites)
      if (s.kind !== 'define' && !found.has(s.range.start.line + 1)) found.set(s.range.start.line + 1, s.framework);
    for (const [line, fw] of wanted) {
      const t = tally(byFw, fw);
      if (found.has(line)) t.tp++;
      else {
        t.fn++;
        notes.push(`miss  ${entry.file}:${line} [${fw}]`);
      }
    }
    for (const [line, fw] of found) {
      if (wanted.has(line)) continue;
      tally(byFw, fw).fp++;
      notes.push(`false ${entry.file}:${line} [${fw}]`);
    }
  }
  const all: Tally = { tp: 0, fn: 0, fp: 0 };
  console.log('framework               labelled  found  recall  precision');
  for (const [fw, t] of [...byFw].sort((a, b) => a[0].localeCompare(b[0]))) {
    all.tp += t.tp;
    all.fn += t.fn;
    all.fp += t.fp;
    console.log(
      `${fw.padEnd(22)} ${String(t.tp + t.fn).padStart(9)} ${String(t.tp + t.fp).padStart(6)}  ${pct(t.tp, t.tp + t.fn)}  ${pct(t.tp, t.tp + t.fp)}`,
    );
  }
  console.log(
    `${'all'.padEnd(22)} ${String(all.tp + all.fn).padStart(9)} ${String(all.tp + all.fp).padStart(6)}  ${pct(all.tp, all.tp + all.fn)}  ${pct(all.tp, all.tp + all.fp)}`,
  );
  if (values.verbose) for (const n of notes) console.log(n);
  const recall = all.tp / Math.max(1, all.tp + all.fn);
  const precision = all.tp / Math.max(1, all.tp + all.fp);
  console.log(
    `RESULT sites files=${manifest.files.length} recall=${recall.toFixed(3)} precision=${precision.toFixed(3)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
