/**
 * "Byte strings": JS strings with one char per byte (latin1). Redis strings are bytes, so the
 * server keys channels, user names and error texts this way to stay binary-safe; text that
 * crosses the public API as a JS string is UTF-8 and is converted at the boundary.
 */

/** The bytes of `b` as a byte string. */
export function bytesToBinary(b: Buffer): string {
  return b.toString("latin1");
}

/** The bytes a byte string stands for. */
export function binaryToBytes(s: string): Buffer {
  return Buffer.from(s, "latin1");
}

/** A UTF-8 JS string (public API input) as a byte string. */
export function utf8ToBinary(s: string | Buffer): string {
  return (typeof s === "string" ? Buffer.from(s, "utf8") : s).toString("latin1");
}

/** A byte string decoded as UTF-8 (for handing to embedders). */
export function binaryToUtf8(s: string): string {
  return Buffer.from(s, "latin1").toString("utf8");
}

/** ASCII-only lower-casing, like C's `tolower` in the "C" locale (what `strcasecmp` compares). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** ASCII-only upper-casing (`sdstoupper`). */
export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** Case-insensitive ASCII comparison of a raw argument with a keyword (`strcasecmp(arg, word) == 0`). */
export function argIs(arg: Buffer | undefined, word: string): boolean {
  return arg !== undefined && asciiLower(cString(arg)) === word;
}

/**
 * The argument as C's `%s` prints it: up to the first NUL. Redis formats many error messages with
 * `%s`, so an argument with an embedded NUL shows truncated there — and so must ours.
 */
export function cString(arg: Buffer): string {
  const nul = arg.indexOf(0);
  return arg.toString("latin1", 0, nul < 0 ? arg.length : nul);
}
