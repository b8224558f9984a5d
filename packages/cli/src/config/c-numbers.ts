import { string2ll } from "@vigil/core";

/**
 * Redis `string2ll` as a JS number: `undefined` when the text is not a canonical int64; the caller
 * reports `argument couldn't be parsed into an integer`.
 */
export function parseStrictInteger(s: string): number | undefined {
  const v = string2ll(s);
  return v === undefined ? undefined : Number(v);
}
