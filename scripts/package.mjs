// `npm run package`: builds the production bundles and makes one VSIX per platform that onnxruntime-node
// ships binaries for, each carrying only its own platform's native onnxruntime. Prints each size.
// Usage: node scripts/package.mjs [--target linux-x64]...
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync, statSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** VS Code target → onnxruntime-node's bin folder (bin/napi-v6/<platform>/<arch>). */
const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};
const argv = process.argv.slice(2);
const chosen = argv.flatMap((a, i) => (a === '--target' ? [argv[i + 1]] : []));
const targets = chosen.length ? chosen : Object.keys(TARGETS);
for (const t of targets)
  if (!TARGETS[t]) throw new Error(`unknown target ${t}; known: ${Object.keys(TARGETS).join(', ')}`);

execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { stdio: 'inherit' });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outDir = join(root, 'out', 'vsix');
mkdirSync(outDir, { recursive: true });

function copyModule(stage, name, parts) {
  const from = join(root, 'node_modules', name);
  const to = join(stage, 'node_modules', name);
  for (const p of parts) if (existsSync(join(from, p))) cpSync(join(from, p), join(to, p), { recursive: true });
}

for (const target of targets) {
  const stage = join(root, 'out', 'package', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE']) cpSync(join(root, f), join(stage, f));
  for (const d of ['media', 'docs'])
    if (existsSync(join(root, d))) cpSync(join(root, d), join(stage, d), { recursive: true });
  cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  // The bundles are self-contained except for onnxruntime-node (a native addon) and its JS dependency.
  copyModule(stage, 'onnxruntime-node', [
    'package.json',
    'LICENSE',
    'README.md',
    'dist',
    `bin/napi-v6/${TARGETS[target]}`,
  ]);
  copyModule(stage, 'onnxruntime-common', ['package.json', 'LICENSE', 'README.md', 'dist']);
  // onnxruntime-node's own dependencies (adm-zip, global-agent) serve only its install-time download
  // script, which the package never runs: the shipped copy declares just its runtime dependency.
  const ortManifest = join(stage, 'node_modules/onnxruntime-node/package.json');
  const ortPkg = JSON.parse(readFileSync(ortManifest, 'utf8'));
  ortPkg.dependencies = { 'onnxruntime-common': ortPkg.dependencies['onnxruntime-common'] };
  delete ortPkg.scripts;
  writeFileSync(ortManifest, JSON.stringify(ortPkg, null, 2));
  const manifest = {
    ...pkg,
    scripts: {},
    devDependencies: {},
    dependencies: { 'onnxruntime-node': pkg.dependencies['onnxruntime-node'] },
  };
  delete manifest.bin;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(stage, '.vscodeignore'), '**/*.map\n**/*.d.ts\n');
  const vsix = join(outDir, `${pkg.name}-${target}-${pkg.version}.vsix`);
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@vscode/vsce/vsce'),
      'package',
      '--target',
      target,
      '--allow-missing-repository',
      '--skip-license',
      '--out',
      vsix,
    ],
    { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const mb = statSync(vsix).size / 1e6;
  console.log(`${target}: ${vsix} ${mb.toFixed(1)} MB`);
}
console.log(
  `VSIX files in ${outDir}: ${readdirSync(outDir)
    .filter((f) => f.endsWith('.vsix'))
    .join(', ')}`,
);
