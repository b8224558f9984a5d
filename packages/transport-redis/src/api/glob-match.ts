import { utf8ToBinary } from "../server/byte-string.js";
import { globMatch } from "../server/glob.js";

/**
 * Redis's `stringmatchlen` (the server's {@link globMatch}) over the UTF-8 bytes of two JS strings:
 * `SENTINEL RESET` patterns (case-sensitive) and `SENTINEL CONFIG GET` patterns (case-insensitive)
 * match exactly as in `redis-sentinel`, non-ASCII names included.
 */
export function matchesGlob(pattern: string, subject: string, nocase: boolean): boolean {
  return globMatch(utf8ToBinary(pattern), utf8ToBinary(subject), nocase);
}
