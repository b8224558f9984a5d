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
  // ASCII reads the same either way; names (`default`) nearly always are, and this runs per command.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.from(s, "latin1").toString("utf8");
  return s;
}

/**
 * ASCII-only lower-casing, like C's `tolower` in the "C" locale (what `strcasecmp` compares).
 * Called for every command name, so it scans once: unchanged strings are returned as they are,
 * pure-ASCII ones go through the (native) `toLowerCase`, which is only wrong for non-ASCII chars.
 */
export function asciiLower(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  return upper ? s.toLowerCase() : s;
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
