/**
 * The checks every webview guard is built from. A webview is another trust domain, so each side validates
 * what it receives; these helpers keep the limits on strings and counts the same for every page.
 */

/** Longest id, model id or file name the page may send; longer strings are rejected, not truncated. */
export const MAX_REPORT_STRING = 1024;

/** Whether a value is a plain object (not null, not an array), so its fields can be read. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether an object has every required key and no key outside the required and optional ones. */
export function hasKeys(
  v: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): boolean {
  const keys = Object.keys(v);
  return required.every((k) => k in v) && keys.every((k) => required.includes(k) || optional.includes(k));
}

/** A non-empty string no longer than the limit; longer strings are rejected, not truncated. */
export function isShortString(v: unknown, max = MAX_REPORT_STRING): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** A list of at most `maxItems` strings, each within the length limit of every string a page sends. */
export function isStringList(v: unknown, maxItems: number): v is string[] {
  return (
    Array.isArray(v) && v.length <= maxItems && v.every((s) => typeof s === 'string' && s.length <= MAX_REPORT_STRING)
  );
}

/** A non-negative integer small enough to be a count of rows, charts or elements on a page. */
export function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000;
}

/** A number that is neither NaN nor infinite. */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
