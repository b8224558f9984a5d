import { parseRedisInteger } from "../resp/string-to-integer.js";

/**
 * `getLongLongFromObject` / `getLongFromObject` on a command argument: Redis's strict `string2ll`
 * (canonical decimal, within int64). `undefined` when the text is not such an integer.
 */
export function parseLongLong(text: string): bigint | undefined {
  return parseRedisInteger(text);
}

/** A C `long long` stored into an `int` (two's-complement truncation, as on every Redis platform). */
export function toInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** A C `long long` stored into an `unsigned int`. */
export function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}
