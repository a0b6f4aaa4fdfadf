/**
 * Only regular files are opened: a named pipe fails at once instead of blocking the open (the Models view
 * inspects every .onnx file of a workspace inside the extension host), a folder or a missing path gets a
 * typed error that names it, links to files are followed and link loops are refused.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { FileAccessError, assertFolder, openRegularFileSync } from '../../src/fileAccess';

const ROOT = path.join(__dirname, '..', '..');
const POSIX = process.platform !== 'win32';
const dir = mkdtempSync(path.join(tmpdir(), 'gl-access-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => path.join(dir, name);

function accessError(fn: () => unknown): FileAccessError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FileAccessError, String(err));
    return err;
  }
  assert.fail('no error');
}

void test(
  'folders and missing paths get typed errors that name them; links to files are followed',
  { skip: !POSIX && 'symbolic links' },
  async () => {
    writeFileSync(at('a.onnx'), 'x');
    mkdirSync(at('sub'));
    symlinkSync(at('a.onnx'), at('link.onnx'));
    symlinkSync(at('loop1'), at('loop2'));
    symlinkSync(at('loop2'), at('loop1'));
    closeSync(openRegularFileSync(at('link.onnx')));
    assert.deepEqual(
      { ...accessError(() => openRegularFileSync(at('sub'))) },
      { code: 'not-a-file', path: at('sub'), name: 'FileAccessError' },
    );
    assert.equal(accessError(() => openRegularFileSync(at('sub'))).message, `${at('sub')} is a folder, not a file`);
    assert.equal(accessError(() => openRegularFileSync(at('none.onnx'))).message, `${at('none.onnx')}: no such file`);
    assert.equal(
      accessError(() => openRegularFileSync(at('loop1'))).message,
      `${at('loop1')}: too many levels of symbolic links`,
    );
    await assert.rejects(assertFolder(at('a.onnx')), { message: `${at('a.onnx')} is a file, not a folder` });
    await assert.rejects(assertFolder(at('nowhere')), { message: `${at('nowhere')}: no such folder` });
    await assertFolder(at('sub'));
  },
);

// In a child with a time limit: before regular files were checked, this open blocked forever.
void test(
  'the ONNX reader and the profiler hash refuse a named pipe at once',
  { skip: !POSIX && 'named pipes' },
  () => {
    execFileSync('mkfifo', [at('pipe.onnx')]);
    const code = `
    const { inspectOnnxFile } = require('./src/analyzers/onnx/index');
    const { hashFile } = require('./src/profiler/cache');
    const file = process.argv[1];
    try { inspectOnnxFile(file); } catch (e) { console.log(e.name + ': ' + e.message); }
    hashFile(file).catch((e) => console.log(e.name + ': ' + e.message));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code, at('pipe.onnx')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, 'the child was stopped at the time limit: an open blocked');
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `OnnxReadError: ${at('pipe.onnx')} is a named pipe (FIFO), not a file`,
      `FileAccessError: ${at('pipe.onnx')} is a named pipe (FIFO), not a file`,
    ]);
  },
);
