import { readFileSync } from 'node:fs';
import { analyzePython } from '../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../src/analyzers/python/treeSitter';
import { mayContainModels } from '../src/analyzers/python/frameworks';
void (async () => {
  await loadPythonGrammar();
  for (const f of ['_tensor_docs.py', '__init__.py', 'utils/benchmark/examples/spectral_ops_fuzz_test.py', '_decomp/decompositions.py']) {
    const s = readFileSync('/usr/lib/python3/dist-packages/torch/' + f, 'utf8');
    for (let i = 0; i < 3; i++) { let t = performance.now(); mayContainModels(s); const p = performance.now() - t; t = performance.now(); analyzePython(s); console.log(f, 'prefilter', p.toFixed(1), 'analyze', (performance.now() - t).toFixed(1)); }
  }
})();
