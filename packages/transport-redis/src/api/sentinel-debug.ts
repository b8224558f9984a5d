import { DEBUG_KEYS } from "@vigil/core";
import { bulk, error, map, OK, type Reply } from "../resp/reply.js";
import { parseRedisInteger } from "../resp/string-to-integer.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL DEBUG`: without arguments, the 13 tunable periods as a map in Sentinel's fixed order
 * (`INFO-PERIOD` ... `SCRIPT-RETRY-DELAY`), values as bulk strings. With `<param> <value>` pairs
 * (names case-insensitive, values integers > 0), each pair is applied in turn; an error stops there
 * and the pairs before it stay applied. Not persisted.
 */
export function debugCommand(s: ApiScope, argv: readonly string[]): Reply {
  const timing = s.engine.timing;
  if (argv.length === 2) return map(DEBUG_KEYS.map(([key, field]) => [bulk(key), bulk(String(timing[field]))] as const));
  for (let j = 2; j < argv.length; j++) {
    const option = argv[j]!;
    const entry = DEBUG_KEYS.find(([key]) => key.toLowerCase() === option.toLowerCase());
    if (entry === undefined || j + 1 >= argv.length) {
      return error(`ERR Unknown option or number of arguments for SENTINEL DEBUG '${option}'`);
    }
    const value = argv[++j]!;
    const ms = parseRedisInteger(value);
    if (ms === undefined || ms <= 0n) return error(`ERR Invalid argument '${value}' for SENTINEL DEBUG '${option}'`);
    timing[entry[1]] = Number(ms);
  }
  return OK;
}
