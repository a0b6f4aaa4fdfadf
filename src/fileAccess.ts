/**
 * Opening the files and folders that a user, or a repository they cloned, names: only regular files are read. A named
 * pipe would block the open (and every read) forever, a folder fails with a bare EISDIR, and a device
 * could stream without end. The open uses O_NONBLOCK, so a FIFO with no writer cannot block it, and the
 * kind is checked with fstat on the opened descriptor, so a file swapped after a check cannot slip past.
 * Symbolic links to files are followed, like every other program the user runs on the file.
 */
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** Why a path could not be opened as a file. */
export type FileAccessCode = 'missing' | 'not-a-file' | 'not-a-folder' | 'unreadable';

/** A path that is missing, is not a regular file, or cannot be read; the message names the path. */
export class FileAccessError extends Error {
  constructor(
    readonly code: FileAccessCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

// Windows has no O_NONBLOCK (and no FIFOs in the file system); there the plain read-only open is used.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function notAFile(file: string, st: Stats): FileAccessError {
  return new FileAccessError('not-a-file', file, `${file} is ${kindOf(st)}, not a file`);
}

/** Turns an open's error into a FileAccessError that names the path. */
export function fileAccessError(file: string, err: unknown): FileAccessError {
  if (err instanceof FileAccessError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileAccessError('missing', file, `${file}: no such file`);
  if (code === 'ELOOP') return new FileAccessError('unreadable', file, `${file}: too many levels of symbolic links`);
  if (code === 'EISDIR') return new FileAccessError('not-a-file', file, `${file} is a folder, not a file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new FileAccessError('unreadable', file, `${file}: permission denied`);
  return new FileAccessError('unreadable', file, `${file}: ${(err as Error).message}`);
}

/** Opens a regular file for reading and returns its descriptor, or throws a FileAccessError. */
export function openRegularFileSync(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, FLAGS);
  } catch (err) {
    throw fileAccessError(file, err);
  }
  const st = fstatSync(fd);
  if (st.isFile()) return fd;
  closeSync(fd);
  throw notAFile(file, st);
}

/** The same as {@link openRegularFileSync}, with a FileHandle. */
export async function openRegularFile(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, FLAGS);
  } catch (err) {
    throw fileAccessError(file, err);
  }
  const st = await handle.stat();
  if (st.isFile()) return handle;
  await handle.close();
  throw notAFile(file, st);
}

/** Checks that `file` is a regular file that can be opened for reading; throws a FileAccessError if not. */
export function assertRegularFile(file: string): void {
  closeSync(openRegularFileSync(file));
}

/** Checks that `dir` is a folder (a link to one is followed); throws a FileAccessError that names it if not. */
export async function assertFolder(dir: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(dir);
  } catch (err) {
    const e = fileAccessError(dir, err);
    throw e.code === 'missing' ? new FileAccessError('missing', dir, `${dir}: no such folder`) : e;
  }
  if (!st.isDirectory())
    throw new FileAccessError('not-a-folder', dir, `${dir} is ${st.isFile() ? 'a file' : kindOf(st)}, not a folder`);
}

/** A file's size and modification time: enough to tell that it changed since it was last read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/**
 * Reading the user's files, as the pure modules that gather reports need it. The CLI passes
 * {@link nodeFileReader}; the editor passes one over `vscode.workspace.fs`, so that pure code never
 * imports `vscode`.
 */
export interface FileReader {
  /** The file's text (UTF-8); rejects with an error that names the path. */
  readText(file: string): Promise<string>;
  /** The file's stamp, or undefined when it is gone or unreadable. */
  stamp(file: string): Promise<FileStamp | undefined>;
}

/** A FileReader over node:fs that opens only regular files (see {@link openRegularFile}). */
export const nodeFileReader: FileReader = {
  async readText(file) {
    const handle = await openRegularFile(file);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  },
  async stamp(file) {
    try {
      const st = await stat(file);
      return { size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return undefined;
    }
  },
};
