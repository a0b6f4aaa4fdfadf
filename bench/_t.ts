import { readFileSync } from 'node:fs';
import { usageTrigger, BARE_LAYER_ASSIGNMENT, mayContainModels } from '../src/analyzers/python/frameworks';
import { mayContainModels as oldMay } from '/tmp/basewt/src/analyzers/python/frameworks';
for (const f of ['testing/_internal/common_methods_invocations.py', '_tensor_docs.py', '_refs/__init__.py', 'utils/benchmark/examples/spectral_ops_fuzz_test.py', '_decomp/decompositions.py', '__init__.py']) {
  const s = readFileSync('/usr/lib/python3/dist-packages/torch/' + f, 'utf8');
  console.log(f, s.length, { old: oldMay(s), now: mayContainModels(s), usage: usageTrigger(s), layer: BARE_LAYER_ASSIGNMENT.test(s), loader: /\b(?:from_pretrained|from_config|from_single_file|load_from_checkpoint)\b|\.\s*__dict__\s*\[[^\]\n]+\]\s*\(/.test(s) });
}
