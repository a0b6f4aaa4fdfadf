import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePython } from '../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../src/analyzers/python/treeSitter';
import { analyzePython as baseAnalyze } from '/tmp/basewt/src/analyzers/python/analyze';
import { loadPythonGrammar as baseLoad } from '/tmp/basewt/src/analyzers/python/treeSitter';
function py(d: string, o: string[] = []): string[] { for (const e of readdirSync(d, { withFileTypes: true })) { const f = path.join(d, e.name); if (e.isDirectory()) py(f, o); else if (e.name.endsWith('.py')) o.push(f); } return o; }
void (async () => {
  await loadPythonGrammar(); await baseLoad();
  const rows: [string, number, number][] = [];
  let tm = 0, tb = 0;
  for (const f of py('/usr/lib/python3/dist-packages/torch')) {
    const s = readFileSync(f, 'utf8');
    let t = performance.now(); analyzePython(s); const m = performance.now() - t;
    t = performance.now(); baseAnalyze(s); const b = performance.now() - t;
    tm += m; tb += b; rows.push([f.replace('/usr/lib/python3/dist-packages/', ''), m, b]);
  }
  rows.sort((a, b) => (b[1] - b[2]) - (a[1] - a[2]));
  console.log('total mine', tm.toFixed(0), 'base', tb.toFixed(0));
  for (const r of rows.slice(0, 12)) console.log(r[0], r[1].toFixed(1), r[2].toFixed(1));
})();
