/**
 * Files that other processes may read while they are written (cached results, variant models): the
 * bytes go to a temporary file in the same folder, which is then renamed over the target. A rename within
 * one file system replaces the name in one step, so a concurrent reader sees the old file or the new
 * one, never half of one (a half-written variant made onnxruntime fail with "Protobuf parsing failed").
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A fresh name next to `file` for writing it aside: same folder (so the rename stays on one file system),
 * a leading dot, and the pid and random bytes so that concurrent writers never share one.
 */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Moves a finished temporary file over `file`; removes the temporary file if the rename fails. */
export function commitTemp(tmp: string, file: string): void {
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes `data` to `file` through a temporary file and a rename (see above). */
export function writeFileAtomicSync(file: string, data: string | NodeJS.ArrayBufferView): void {
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, data);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  commitTemp(tmp, file);
}
