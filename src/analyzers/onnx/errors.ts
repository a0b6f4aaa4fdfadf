/** The one error type the ONNX analyzer throws on bad input, so callers can tell "bad file" from bugs. */

/** Why a model could not be read; `code` is stable for programs, `message` is for people. */
export type OnnxReadErrorCode = 'io' | 'truncated' | 'malformed' | 'too-large' | 'too-deep' | 'unsupported';

/** A file that is not a readable ONNX model: truncated, corrupt, too large or too deeply nested. */
export class OnnxReadError extends Error {
  readonly code: OnnxReadErrorCode;
  /** Byte offset in the model file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: OnnxReadErrorCode, message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'OnnxReadError';
    this.code = code;
    this.offset = offset;
  }
}

/**
 * Runs `fn` and turns any non-OnnxReadError failure (a RangeError, a stack overflow on
 * pathological nesting) into an OnnxReadError with the given context, so nothing else escapes the reader.
 */
export function guarded<T>(context: string, fn: () => T, offset?: number): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OnnxReadError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new OnnxReadError('malformed', `${context}: ${why}`, offset);
  }
}
