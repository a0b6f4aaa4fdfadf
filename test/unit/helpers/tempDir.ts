/** Temporary folders that a test file removes when it ends, whatever its outcome. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

const made: string[] = [];

// Registered when the test file imports this module, so on the file's root: it runs after the last test.
// (Registered from inside a test, the hook would run when that one test ends.)
after(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder in the temp folder, removed after the test file's last test. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
