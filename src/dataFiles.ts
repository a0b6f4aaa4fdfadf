/**
 * Reads the generated data tables (catalog, hardware, carbon) from disk on first use instead of
 * bundling them: as JavaScript they would add a megabyte that every activation parses. The layout is
 * the same from source and from the bundle: `<module folder>/data/<name>` is src/<area>/data/ when run
 * from source and dist/data/ in the bundle, where scripts/build.mjs copies them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const cache = new Map<string, unknown>();

export function readDataFile<T>(moduleDir: string, name: string): T {
  const file = path.join(moduleDir, 'data', name);
  let value = cache.get(file);
  if (value === undefined) {
    value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    cache.set(file, value);
  }
  return value as T;
}
