/** `LONG_STR_SIZE` in Redis: strings this long or longer are never valid integers. */
const MAX_INTEGER_TEXT = 21;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const CANONICAL = /^(?:0|-?[1-9][0-9]*)$/;

/**
 * Parses a signed 64-bit integer exactly like Redis's `string2ll`: canonical decimal only — no
 * `+`, no leading zeros, no `-0`, no spaces, at most 20 characters. Clients see the same
 * "invalid multibulk length" / "not an integer" errors from us as from Redis for the same bytes.
 * Returns `undefined` when the text is not such an integer (an expected condition, not a throw).
 */
export function parseRedisInteger(text: string): bigint | undefined {
  if (text.length === 0 || text.length >= MAX_INTEGER_TEXT || !CANONICAL.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** {@link parseRedisInteger} over raw bytes (decoded as latin1, so every byte maps to one char). */
export function parseRedisIntegerBytes(bytes: Buffer, start: number, end: number): bigint | undefined {
  if (end - start >= MAX_INTEGER_TEXT) return undefined;
  return parseRedisInteger(bytes.toString("latin1", start, end));
}
