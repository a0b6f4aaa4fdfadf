/**
 * Runs a CommonJS bundle through a V8 code cache kept on disk, so that a one-shot CLI process does not
 * compile the same functions to bytecode on every run. The cache of a command is written when its first
 * run exits and read by every later run; like Python's .pyc files, it is an optimisation only: any
 * problem with it (unwritable folder, a cache from another Node.js, a corrupt file) means the bundle is
 * compiled as usual.
 *
 * Why not Node.js's own module.enableCompileCache (Node 22.1+) or the v8-compile-cache package: both
 * create the cache right after compiling a module, when only its top-level code has bytecode. A command's
 * work happens in functions V8 compiles lazily on their first call, and those are what a cold
 * `greenlens inspect` spends its compile time on. vm.Script#createCachedData called at exit includes
 * every function compiled so far (Node.js documents this). Measured on the cold inspection of vit_b_16
 * (medians of 9-11 alternating processes): with Node 24, module.enableCompileCache wrote 46 KB and the
 * call was no faster (59 against 55 ms); with Node 20, the cache written here (211 KB) took it from 70
 * to 56 ms. bench/onnx-inspect.ts measures runs with and without it.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** What happened to the cache when a bundle was loaded. */
export type CacheState = 'used' | 'missing' | 'rejected' | 'off';

export interface LoadedBundle {
  /** The bundle's module.exports. */
  exports: unknown;
  state: CacheState;
  /** The cache file of this bundle and key (undefined when caching is off). */
  cacheFile: string | undefined;
  /** Writes the cache when none was used; call it once the work is done (at exit). Never throws. */
  save(): void;
}

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
    return { exports: require(filename), state: 'off', cacheFile: undefined, save() {} };
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
  fn.call(mod.exports, mod.exports, createRequire(filename), mod, filename, path.dirname(filename));
  mod.loaded = true;
  return {
    exports: mod.exports,
    state,
    cacheFile,
    save() {
      if (state === 'used') return;
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
        // Written aside and renamed, so a concurrent run never reads half a file.
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        // Caches of earlier bundles or Node.js versions for the same command are dead weight now.
        const dir = path.dirname(cacheFile);
        const key = commandOf(path.basename(cacheFile));
        for (const f of readdirSync(dir)) {
          if (key !== undefined && commandOf(f) === key && f !== path.basename(cacheFile)) rmSync(path.join(dir, f), { force: true });
        }
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    },
  };
}
