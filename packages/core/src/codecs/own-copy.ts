/**
 * `text` as a string of its own, sharing no memory with the string it was cut from.
 *
 * Why: V8 represents a substring of 13 or more characters as a view of its parent (a "sliced
 * string") that keeps the whole parent alive. A 40-character run id sliced out of an INFO reply
 * kept that ~5 KB reply in memory for as long as the run id was kept, long after the next reply
 * replaced it (docs/performance.md, "Substrings that kept INFO replies"). `join` builds a new
 * flat string; shorter strings are copies already.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : text.split("").join("");
}
