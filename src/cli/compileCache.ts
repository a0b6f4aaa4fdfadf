/**
 * Loads the CLI bundle with a code cache on disk, so that a one-shot CLI process does not compile the same
 * functions to bytecode on every run. Like Python's .pyc files, a cache is an optimisation only: any
 * problem with it (unwritable folder, a cache from another Node.js, a corrupt file) means the bundle is
 * compiled as usual.
 *
 * Node.js 22.1 and later have their own cache (module.enableCompileCache), which is used wherever it
 * exists. Node.js 20 has none, so there the bundle runs through a vm.Script whose cached data is written
 * when a command's first successful run exits: V8 then includes every function compiled so far, which is
 * where a command spends its compile time. bench/onnx-inspect.ts measures a fresh process with and without
 * the cache; docs/cli-startup.md has the figures behind keeping it.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** What happened to the cache when a bundle was loaded; `node` means Node.js's own cache is in use. */
export type CacheState = 'used' | 'missing' | 'rejected' | 'off' | 'node';

export interface LoadedBundle {
  /** The bundle's module.exports. */
  exports: unknown;
  state: CacheState;
  /** Writes this module's own cache when none was used; call it once the work is done (at exit). Never throws. */
  save(): void;
}

/** Node.js's own compile cache (22.1+), typed here because Node.js 20's type definitions lack it. */
const enableCompileCache = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;

/**
 * The cache file for a bundle, a key (the command) and this Node.js. The bundle's size and modification
 * time are part of the name: V8 checks a cache against the source's length only, so a changed bundle of
 * the same length must never find the old file.
 */
export function cacheFileFor(bundle: string, key: string, dir: string): string {
  const st = statSync(bundle);
  const name = [key.replace(/[^\w-]/g, '_'), st.size, Math.floor(st.mtimeMs), process.version, process.arch].join('-');
  return path.join(dir, 'compile-cache', `${name}.bin`);
}

/** The command a cache file name belongs to (`profile-torch` from `profile-torch-<size>-<mtime>-v…`). */
function commandOf(name: string): string | undefined {
  return /^(.+?)-\d+-\d+-v[^-]+-[^-]+\.bin$/.exec(name)?.[1];
}

/**
 * Loads the CommonJS bundle `file` for command `key` with a code cache in `dir` (undefined: none):
 * Node.js's own where it has one, else the cache of this module.
 */
export function loadCached(file: string, key: string, dir: string | undefined): LoadedBundle {
  if (dir !== undefined && enableCompileCache) {
    enableCompileCache(path.join(dir, 'compile-cache'));
    return { ...loadBundle(file, undefined), state: 'node' };
  }
  return loadBundle(file, dir === undefined ? undefined : cacheFileFor(file, key, dir));
}

/**
 * Loads the CommonJS bundle at `file` through the code cache `cacheFile` (undefined: a plain require).
 * The bundle gets the module variables Node.js gives it. It must not use dynamic import(): Node.js 20
 * can only serve import() in a vm.Script through an experimental option (a warning on every run), and
 * loses it when the script comes from a code cache. esbuild turns the bundle's own import() calls into
 * require(); test/unit/cli-compile-cache.test.ts runs each kind of command through the executable.
 */
export function loadBundle(file: string, cacheFile: string | undefined): LoadedBundle {
  const filename = path.resolve(file);
  if (!cacheFile) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plain path, as without a cache
    return { exports: require(filename), state: 'off', save() {} };
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The same wrapper Node.js puts around a CommonJS module, so line numbers in stack traces match.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(filename, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename, cachedData });
  const state: CacheState = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  const mod = { exports: {} as unknown, filename, id: filename, loaded: false };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, nodeModule.createRequire(filename), mod, filename, path.dirname(filename));
  mod.loaded = true;
  return {
    exports: mod.exports,
    state,
    save() {
      if (state !== 'used') saveCache(script, cacheFile);
    },
  };
}

/** Writes a script's cached data, replacing this command's caches of earlier bundles. Never throws. */
function saveCache(script: vm.Script, cacheFile: string): void {
  try {
    const dir = path.dirname(cacheFile);
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
    const key = commandOf(path.basename(cacheFile));
    for (const f of readdirSync(dir)) {
      if (key !== undefined && commandOf(f) === key && f !== path.basename(cacheFile))
        rmSync(path.join(dir, f), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
}
