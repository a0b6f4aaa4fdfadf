import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { cacheFileFor, loadBundle } from '../../src/cli/compileCache';
import { buildModel, init } from './helpers/models';

const ROOT = path.resolve(__dirname, '../..');
/** Node.js 22.1 and later keep the executable's cache themselves, in their own layout. */
const nodeOwnCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** A CommonJS file with a lazily compiled function, as the CLI bundle has. */
function bundleSource(factor: number): string {
  return `module.exports = {
  f: (x) => x * ${factor},
  lazy() { let s = 0; for (let i = 0; i < 10; i++) s += i; return s; },
  later: () => Promise.resolve().then(() => require('node:path')).then((m) => typeof m.join),
  where: () => __filename,
};\n`;
}

/**
 * Loads `file` through `cacheFile` in a fresh process (one process would answer from V8's in-memory
 * compilation cache and never look at the file), calls its functions, saves the cache, and reports.
 */
function loadInChild(
  file: string,
  cacheFile: string | undefined,
): { state: string; f: number; lazy: number; later: string; where: string } {
  const script = `
    const { loadBundle } = require(${JSON.stringify(path.join(ROOT, 'src/cli/compileCache.ts'))});
    const b = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cacheFile ?? null)} ?? undefined);
    b.exports.later().then((later) => {
      b.save();
      console.log(JSON.stringify({ state: b.state, f: b.exports.f(2), lazy: b.exports.lazy(), later, where: b.exports.where() }));
    });`;
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }),
  ) as ReturnType<typeof loadInChild>;
}

void test('loadBundle writes a code cache after a run, uses it next time, and survives a corrupt or stale one', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-cc-'));
  try {
    const file = path.join(dir, 'b.js');
    writeFileSync(file, bundleSource(2));
    const cacheFile = cacheFileFor(file, 'inspect', dir);
    assert.deepEqual(loadInChild(file, cacheFile), {
      state: 'missing',
      f: 4,
      lazy: 45,
      later: 'function',
      where: file,
    });
    assert.ok(statSync(cacheFile).size > 0, 'the cache was written');
    assert.deepEqual(loadInChild(file, cacheFile), { state: 'used', f: 4, lazy: 45, later: 'function', where: file });

    // Garbage where the cache should be: V8 rejects it, the bundle still runs, and saving replaces it.
    writeFileSync(cacheFile, Buffer.alloc(512, 7));
    assert.equal(loadInChild(file, cacheFile).state, 'rejected');
    assert.equal(loadInChild(file, cacheFile).state, 'used');

    // Another command's cache, whose name starts with this one's, stays when this one is replaced.
    const other = cacheFileFor(file, 'inspect-more', dir);
    writeFileSync(other, 'x');

    // A changed bundle of the same length gets another cache file, so it never runs the old bytecode.
    writeFileSync(file, bundleSource(3));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changedCache = cacheFileFor(file, 'inspect', dir);
    assert.notEqual(changedCache, cacheFile);
    const changed = loadInChild(file, changedCache);
    assert.deepEqual([changed.state, changed.f], ['missing', 6]);
    assert.ok(!existsSync(cacheFile), 'the stale cache of the same command was removed');
    assert.ok(existsSync(other), 'the cache of another command was kept');

    // Without a cache file (caching off), the bundle is required as usual.
    assert.deepEqual(loadInChild(file, undefined), { state: 'off', f: 6, lazy: 45, later: 'function', where: file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('an unwritable cache folder costs nothing but the cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-cc-'));
  try {
    const file = path.join(dir, 'b.js');
    writeFileSync(file, bundleSource(2));
    // A file where the cache folder should be: mkdir fails inside save(), which must not throw.
    writeFileSync(path.join(dir, 'compile-cache'), 'not a folder');
    const loaded = loadBundle(file, cacheFileFor(file, 'cli', dir));
    assert.equal((loaded.exports as { f(x: number): number }).f(4), 8);
    assert.doesNotThrow(() => loaded.save());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the greenlens executable runs through the cache: same output, one cache per succeeding command', () => {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlens-cc-'));
  try {
    const model = path.join(dir, 'm.onnx');
    writeFileSync(
      model,
      buildModel({
        inputs: [['x', 1, ['batch', 16]]],
        outputs: [['y', 1, ['batch', 4]]],
        inits: [init('w', [16, 4])],
        nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, GREENLENS_CACHE_DIR: dir };
    delete env.GREENLENS_COMPILE_CACHE;
    const cacheDir = path.join(dir, 'compile-cache');
    mkdirSync(cacheDir);
    // Left by an earlier release: replaced once this release's cache for the command is written.
    writeFileSync(path.join(cacheDir, 'inspect-1-2-v0.0.0-x64.bin'), 'old');
    const run = (...args: string[]): string => {
      const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
      // Nothing on stderr: the cache never prints.
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      return r.stdout;
    };
    const first = run('inspect', model);
    assert.match(first, /MACs: 64\b/);
    if (nodeOwnCache) assert.ok(readdirSync(cacheDir).length > 1, "Node.js's own cache was written");
    else {
      assert.deepEqual(
        readdirSync(cacheDir).map((f) => f.split('-')[0]),
        ['inspect'],
      );
      assert.notEqual(readdirSync(cacheDir)[0], 'inspect-1-2-v0.0.0-x64.bin');
    }
    assert.equal(run('inspect', model), first);

    // The Python analyzer loads tree-sitter's WASM files: the code-cached bundle must run it too.
    const py = path.join(dir, 'train.py');
    writeFileSync(
      py,
      'import torch\nimport torchvision\nmodel = torchvision.models.resnet50(pretrained=True)\nfor epoch in range(10):\n    model(torch.randn(1, 3, 224, 224))\n',
    );
    const analyzed = run('analyze', py, '--format', 'json');
    assert.match(analyzed, /resnet50/);
    assert.equal(run('analyze', py, '--format', 'json'), analyzed);

    // A failing command leaves no cache behind; with the cache turned off none is written either.
    const failed = spawnSync(process.execPath, [cli, 'catalog', '--no-such-option'], { env, encoding: 'utf8' });
    assert.notEqual(failed.status, 0);
    const off = spawnSync(process.execPath, [cli, 'catalog'], {
      env: { ...env, GREENLENS_COMPILE_CACHE: '0' },
      encoding: 'utf8',
    });
    assert.equal(off.status, 0);
    if (!nodeOwnCache)
      assert.deepEqual(
        readdirSync(cacheDir)
          .map((f) => f.split('-')[0])
          .sort(),
        ['analyze', 'inspect'],
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
