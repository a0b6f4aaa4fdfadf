/**
 * Byte sources the reader decodes from: a file read on demand through a small window (so a 346 MB model
 * never sits in memory) or bytes already in memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { OnnxReadError } from './errors';

/** Random access to the bytes of one model file. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Returns exactly `length` bytes from `offset`; throws OnnxReadError past the end. */
  read(offset: number, length: number): Uint8Array;
  /** Releases the file handle, if any. Safe to call twice. */
  close(): void;
}

/** A source over bytes already in memory; reads are zero-copy views. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > bytes.length) throw new OnnxReadError('truncated', `read of ${length} bytes past the end of the data`, offset);
      return bytes.subarray(offset, offset + length);
    },
    close() {},
  };
}

/** Window size of file reads: large enough that a run of small messages costs one system call. */
const WINDOW = 256 * 1024;

/**
 * A source over a file descriptor with one cached read window. Synchronous reads: the reader issues
 * thousands of tiny reads, and a promise per read costs more than the reads themselves.
 */
export function fileSource(path: string): ByteSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new OnnxReadError('io', `cannot open ${path}: ${(err as Error).message}`);
  }
  const size = fstatSync(fd).size;
  let winStart = 0;
  let win: Uint8Array = new Uint8Array(0);
  let closed = false;
  const fill = (offset: number, length: number): Uint8Array => {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, offset + done);
      if (n <= 0) throw new OnnxReadError('truncated', `file ended early`, offset + done);
      done += n;
    }
    return buf;
  };
  return {
    size,
    read(offset, length) {
      if (closed) throw new OnnxReadError('io', `${path} is closed`);
      if (offset < 0 || length < 0 || offset + length > size) throw new OnnxReadError('truncated', `read of ${length} bytes past the end of the file`, offset);
      if (offset >= winStart && offset + length <= winStart + win.length) return win.subarray(offset - winStart, offset - winStart + length);
      if (length > WINDOW / 4) return fill(offset, length);
      winStart = offset;
      win = fill(offset, Math.min(WINDOW, size - offset));
      return win.subarray(0, length);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
