/**
 * Byte sources the reader decodes from: a file read on demand through a small window (so a 346 MB model
 * never sits in memory) or bytes already in memory.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegularFileSync } from '../../fileAccess';
import { OnnxReadError } from './errors';

/** Random access to the bytes of one model file. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Returns exactly `length` bytes from `offset`; throws OnnxReadError past the end. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Makes [offset, offset + length) available in `buf` and returns the index of `offset` there. Lets the
   * wire scanner read varints without allocating a view per read; `buf` may change on the next call.
   */
  locate(offset: number, length: number): number;
  /** The buffer `locate` last made current. */
  readonly buf: Buffer;
  /** Releases the file handle, if any. Safe to call twice. */
  close(): void;
}

/** A source over bytes already in memory; reads are zero-copy views. */
export function bytesSource(input: Uint8Array): ByteSource {
  // A Buffer view of the same memory (no copy), so decoders can use its native string slicing.
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const check = (offset: number, length: number): void => {
    if (offset < 0 || length < 0 || offset + length > bytes.length)
      throw new OnnxReadError('truncated', `read of ${length} bytes past the end of the data`, offset);
  };
  return {
    size: bytes.length,
    buf: bytes,
    read(offset, length) {
      check(offset, length);
      return bytes.subarray(offset, offset + length);
    },
    locate(offset, length) {
      check(offset, length);
      return offset;
    },
    close() {},
  };
}

/**
 * Window size of file reads: a run of small messages costs one system call, while skipping a weight and
 * landing on the next message reads little (256 KB windows cost vit_b_16 20 MB of reads and 40 ms of GC).
 */
const WINDOW = 64 * 1024;
/**
 * Read size after a jump past the current window (a skipped weight): the next message is usually a
 * tensor header of a few dozen bytes followed by its own weight, so 4 KB do. Reading on from inside the
 * window goes back to full windows. vit_b_16: 80 jumps, 5 MB less copied.
 */
const JUMP_WINDOW = 4 * 1024;

/**
 * A source over a file descriptor with one cached read window. Synchronous reads: the reader issues
 * thousands of tiny reads, and a promise per read costs more than the reads themselves.
 */
export function fileSource(path: string): ByteSource {
  let fd: number;
  try {
    // Regular files only: a named pipe would block the open and every read (see src/fileAccess.ts).
    fd = openRegularFileSync(path);
  } catch (err) {
    throw new OnnxReadError('io', (err as Error).message);
  }
  const size = fstatSync(fd).size;
  let winStart = 0;
  let winLen = 0;
  // One window buffer, reused: views handed out are consumed before the next read (see ByteSource.read).
  const win = Buffer.allocUnsafe(WINDOW);
  let closed = false;
  const fill = (into: Uint8Array, offset: number, length: number): void => {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, into, done, length - done, offset + done);
      if (n <= 0) throw new OnnxReadError('truncated', `file ended early`, offset + done);
      done += n;
    }
  };
  const check = (offset: number, length: number): void => {
    if (closed) throw new OnnxReadError('io', `${path} is closed`);
    if (offset < 0 || length < 0 || offset + length > size)
      throw new OnnxReadError('truncated', `read of ${length} bytes past the end of the file`, offset);
  };
  const locate = (offset: number, length: number): number => {
    if (offset >= winStart && offset + length <= winStart + winLen) return offset - winStart;
    const jump = offset > winStart + winLen;
    winStart = offset;
    winLen = Math.min(jump ? Math.max(JUMP_WINDOW, length) : WINDOW, size - offset);
    fill(win, offset, winLen);
    return 0;
  };
  return {
    size,
    buf: win,
    read(offset, length) {
      check(offset, length);
      if (offset >= winStart && offset + length <= winStart + winLen)
        return win.subarray(offset - winStart, offset - winStart + length);
      // Outside the window (a constant's values, read during shape inference): read just those bytes.
      // Refilling the window instead cost vit_b_16 one 64 KB read per folded constant, ~25 MB in all.
      const out = Buffer.allocUnsafe(length);
      fill(out, offset, length);
      return out;
    },
    locate(offset, length) {
      check(offset, length);
      return locate(offset, length);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
