/**
 * The `greenlens` executable (dist/cli.js): sets V8's tier-up thresholds for a short-lived process
 * (v8Tiering.ts), then loads the CLI bundle (dist/cliMain.js) through the compile cache of the command
 * being run and runs it. Kept tiny: everything it imports is loaded before the cache can help.
 * GREENLENS_COMPILE_CACHE=0 turns the cache off, GREENLENS_V8_TIERING=0 the thresholds.
 */
import * as path from 'node:path';
import { cacheFileFor, loadBundle, type LoadedBundle } from './compileCache';
import { defaultCacheDir } from './io';
import { applyTieringFlags } from './v8Tiering';

// Before the bundle is loaded, so that every function of the CLI starts with these thresholds.
applyTieringFlags();

const bundle = path.join(__dirname, 'cliMain.js');
const argv = process.argv.slice(2);
// One cache per command: each runs different code, and the first run of each writes what it compiled.
const command = /^[a-z][a-z-]{0,31}$/.test(argv[0] ?? '') ? (argv[0] as string) : 'cli';

let loaded: LoadedBundle;
try {
  const cacheFile = process.env.GREENLENS_COMPILE_CACHE === '0' ? undefined : cacheFileFor(bundle, command, defaultCacheDir());
  loaded = loadBundle(bundle, cacheFile);
} catch {
  // Whatever went wrong with the cache, the bundle still runs the ordinary way.
  loaded = loadBundle(bundle, undefined);
}
// Only runs that succeeded leave a cache: a typo'd command or a failing run should not.
process.once('exit', (code) => {
  if (code === 0) loaded.save();
});
(loaded.exports as { runCli(argv: string[]): void }).runCli(argv);
