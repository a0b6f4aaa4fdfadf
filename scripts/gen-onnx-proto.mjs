// Compiles the official onnx.proto (copied unchanged from the ONNX project, Apache-2.0) into a static
// protobufjs module plus its TypeScript declarations. Skips the work when the output is newer than the
// schema. Output: src/analyzers/onnx/generated/onnx.{js,d.ts}
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const proto = join(root, 'src/analyzers/onnx/proto/onnx.proto');
const outDir = join(root, 'src/analyzers/onnx/generated');
const js = join(outDir, 'onnx.js');
const dts = join(outDir, 'onnx.d.ts');
const bin = (name) => join(root, 'node_modules/protobufjs-cli/bin', name);

if (
  existsSync(js) &&
  existsSync(dts) &&
  statSync(js).mtimeMs >= statSync(proto).mtimeMs &&
  statSync(dts).mtimeMs >= statSync(js).mtimeMs
)
  process.exit(0);
mkdirSync(outDir, { recursive: true });
execFileSync(
  process.execPath,
  [
    bin('pbjs'),
    '-t',
    'static-module',
    '-w',
    'commonjs',
    '--no-verify',
    '--no-delimited',
    '--no-service',
    '--force-number',
    '-o',
    js,
    proto,
  ],
  { stdio: 'inherit' },
);
execFileSync(process.execPath, [bin('pbts'), '--no-comments', '-o', dts, js], { stdio: 'inherit' });
console.log('[gen] onnx.proto -> src/analyzers/onnx/generated/onnx.{js,d.ts}');
