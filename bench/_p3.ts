import { readFileSync } from 'node:fs';
import { analyzePython } from '../src/analyzers/python/analyze';
import { loadPythonGrammar } from '../src/analyzers/python/treeSitter';
import { analyzePython as baseAnalyze } from '/tmp/basewt/src/analyzers/python/analyze';
import { loadPythonGrammar as baseLoad } from '/tmp/basewt/src/analyzers/python/treeSitter';
void (async () => {
  await loadPythonGrammar(); await baseLoad();
  for (const f of ['_tensor_docs.py', '__init__.py', 'onnx/symbolic_opset9.py', 'utils/cpp_extension.py', 'serialization.py']) {
    const s = readFileSync('/usr/lib/python3/dist-packages/torch/' + f, 'utf8');
    let m = Infinity, b = Infinity;
    for (let i = 0; i < 6; i++) {
      let t = performance.now(); analyzePython(s); m = Math.min(m, performance.now() - t);
      t = performance.now(); baseAnalyze(s); b = Math.min(b, performance.now() - t);
    }
    console.log(f, 'mine', m.toFixed(1), 'base', b.toFixed(1));
  }
})();
