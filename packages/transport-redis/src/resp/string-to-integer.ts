import { string2ll } from "@vigil/core";

/** `LONG_STR_SIZE` in Redis: strings this long or longer are never valid integers. */
const MAX_INTEGER_TEXT = 21;
/** Up to this many digits a decimal is exact as a JS number (< 2^53), so no BigInt is needed. */
const SAFE_DIGITS = 15;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Parses a signed 64-bit integer exactly like Redis's `string2ll` (core's, which option values use
 * too): canonical decimal only. Clients see the same "invalid multibulk length" / "not an integer"
 * errors from us as from Redis for the same bytes. `undefined` when the text is not such an integer.
 */
export const parseRedisInteger: (text: string) => bigint | undefined = string2ll;

/** {@link parseRedisInteger} over raw bytes (decoded as latin1, so every byte maps to one char). */
export function parseRedisIntegerBytes(bytes: Buffer, start: number, end: number): bigint | undefined {
  if (end - start >= MAX_INTEGER_TEXT) return undefined;
  return parseRedisInteger(bytes.toString("latin1", start, end));
}

/**
 * {@link parseRedisIntegerBytes} as a JS number, for the `*N` / `$N` headers of every request.
 * Short values (the only ones real requests carry) are parsed by a digit loop without allocating;
 * longer ones go through the exact BigInt path and are returned as the nearest number, which keeps
 * their sign and their order relative to any limit below 2^53 (all the parser compares them with).
 */
export function parseRedisIntegerBytesAsNumber(bytes: Buffer, start: number, end: number): number | undefined {
  const negative = end > start && bytes[start] === MINUS;
  const first = negative ? start + 1 : start;
  const digits = end - first;
  if (digits === 0 || digits > SAFE_DIGITS) {
    const big = parseRedisIntegerBytes(bytes, start, end);
    return big === undefined ? undefined : Number(big);
  }
  const lead = bytes[first]!;
  // string2ll: "0" alone is fine; a leading zero, or "-0", is not canonical.
  if (lead === ZERO) return digits === 1 && !negative ? 0 : undefined;
  let value = 0;
  for (let i = first; i < end; i++) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) return undefined;
    value = value * 10 + (c - ZERO);
  }
  return negative ? -value : value;
}
