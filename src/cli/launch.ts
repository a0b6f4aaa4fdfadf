/**
 * The `greenlens` executable (dist/cli.js): loads the CLI bundle (dist/cliMain.js) with the code cache of
 * the command being run (compileCache.ts) and runs it. Kept tiny: everything it imports is loaded before
 * the cache can help. GREENLENS_COMPILE_CACHE=0 turns the cache off.
 */
import * as path from 'node:path';
import { loadBundle, loadCached, type LoadedBundle } from './compileCache';
import { defaultCacheDir } from './io';

const bundle = path.join(__dirname, 'cliMain.js');
const argv = process.argv.slice(2);
// One cache per command: each runs different code, and the first run of each writes what it compiled.
const command = /^[a-z][a-z-]{0,31}$/.test(argv[0] ?? '') ? (argv[0] as string) : 'cli';

let loaded: LoadedBundle;
try {
  loaded = loadCached(bundle, command, process.env.GREENLENS_COMPILE_CACHE === '0' ? undefined : defaultCacheDir());
} catch {
  // Whatever went wrong with the cache, the bundle still runs the ordinary way.
  loaded = loadBundle(bundle, undefined);
}
// Only runs that succeeded leave a cache: a typo'd command or a failing run should not.
process.once('exit', (code) => {
  if (code === 0) loaded.save();
});
(loaded.exports as { runCli(argv: string[]): void }).runCli(argv);
