/**
 * The C number rules Redis applies to option values, reproduced (leniency and overflow included)
 * because a drop-in must read `sentinel down-after-milliseconds m 5000ms` as 5000 from a config
 * file, yet refuse `SENTINEL SET m down-after-milliseconds 5000ms`, exactly like `redis-sentinel`.
 */

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
/** `LONG_STR_SIZE` in Redis: strings this long or longer are never valid integers. */
const MAX_INTEGER_TEXT = 21;
const CANONICAL = /^(?:0|-?[1-9][0-9]*)$/;

/** Leading whitespace, optional sign, decimal digits: the prefix `strtol`/`strtoull` consume. */
function leadingInteger(s: string): { negative: boolean; digits: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(s)!;
  return { negative: m[1] === "-", digits: m[2] ?? "" };
}

/**
 * glibc `atoi`: `(int) strtol(s, NULL, 10)`. Garbage after the digits is ignored, no digits gives 0,
 * out-of-range values saturate to the 64-bit limits and are then truncated to 32 bits.
 */
export function atoi(s: string): number {
  const { negative, digits } = leadingInteger(s);
  if (digits === "") return 0;
  let v = BigInt(digits);
  if (negative) v = -v;
  if (v > INT64_MAX) v = INT64_MAX;
  if (v < INT64_MIN) v = INT64_MIN;
  return Number(BigInt.asIntN(32, v));
}

/**
 * glibc `strtoull(s, NULL, 10)` as a JS number: a leading `-` negates modulo 2^64 (as C does),
 * overflow saturates to 2^64-1. Values above 2^53 lose precision; epochs never get there.
 */
export function strtoull(s: string): number {
  const { negative, digits } = leadingInteger(s);
  if (digits === "") return 0;
  let v = BigInt(digits);
  if (v > UINT64_MAX) v = UINT64_MAX;
  if (negative && v !== 0n) v = 2n ** 64n - v;
  return Number(v);
}

/**
 * Redis `string2ll` (what `getLongLongFromObject` uses on a command argument): the whole string must
 * be a canonical decimal integer (no sign but `-`, no leading zeros, no `-0`, no spaces) within
 * int64. `undefined` when it is not (an expected condition, not a throw).
 */
export function string2ll(text: string): bigint | undefined {
  if (text.length === 0 || text.length >= MAX_INTEGER_TEXT || !CANONICAL.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** A C `long long` stored into an `int` (two's-complement truncation, as on every Redis platform). */
export function toInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** A C `long long` stored into an `unsigned int`. */
export function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}

/** Redis `yesnotoi`: case-insensitive `yes`/`no`; `undefined` for anything else. */
export function parseYesNo(s: string): boolean | undefined {
  const v = s.toLowerCase();
  return v === "yes" ? true : v === "no" ? false : undefined;
}
