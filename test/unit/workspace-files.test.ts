/** Workspace discovery: GreenLens's own output folders are skipped; links to files are followed, links to folders are not. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { findWorkspaceFiles, markOutputFolder, OUTPUT_MARKER } from '../../src/repository/files';

const scratch = mkdtempSync(path.join(tmpdir(), 'gl-files-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const rel = (root: string, files: string[]): string[] =>
  files.map((f) => path.relative(root, f).split(path.sep).join('/'));

void test('workspace discovery skips folders marked as GreenLens output, the root included', async () => {
  const ws = mkdtempSync(path.join(scratch, 'find-'));
  writeFileSync(path.join(ws, 'a.onnx'), '');
  mkdirSync(path.join(ws, 'mine'));
  writeFileSync(path.join(ws, 'mine', 'b.py'), '');
  await markOutputFolder(path.join(ws, 'gen', 'variants'));
  writeFileSync(path.join(ws, 'gen', 'variants', 'c.onnx'), '');
  writeFileSync(path.join(ws, 'gen', 'd.onnx'), '');
  const found = await findWorkspaceFiles(ws);
  assert.deepEqual(rel(ws, found.onnx), ['a.onnx', 'gen/d.onnx']);
  assert.deepEqual(rel(ws, found.python), ['mine/b.py']);
  // A marker file that is a folder is not GreenLens's marker.
  mkdirSync(path.join(ws, 'mine', OUTPUT_MARKER));
  assert.equal((await findWorkspaceFiles(ws)).python.length, 1);
  await markOutputFolder(ws);
  assert.deepEqual(await findWorkspaceFiles(ws), { python: [], onnx: [] });
});

void test(
  'links to files are followed once; links to folders, loops included, are not',
  { skip: process.platform === 'win32' && 'needs symbolic links' },
  async () => {
    const ws = mkdtempSync(path.join(scratch, 'links-'));
    const shared = mkdtempSync(path.join(scratch, 'shared-'));
    writeFileSync(path.join(shared, 'train.py'), 'import torch\n');
    writeFileSync(path.join(ws, 'a.py'), '');
    symlinkSync(path.join(shared, 'train.py'), path.join(ws, 'train.py'));
    symlinkSync('a.py', path.join(ws, 'again.py'));
    symlinkSync(path.join(ws, 'gone.py'), path.join(ws, 'dangling.py'));
    mkdirSync(path.join(ws, 'sub'));
    symlinkSync(ws, path.join(ws, 'sub', 'loop'));
    symlinkSync(shared, path.join(ws, 'shared'));
    const found = await findWorkspaceFiles(ws);
    assert.deepEqual(rel(ws, found.python), ['a.py', 'train.py']);
  },
);
