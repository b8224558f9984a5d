import { error, integer, type Reply } from "../resp/reply.js";
import type { SentinelApiContext } from "./context.js";
import { wrongArity } from "./errors.js";

/** The only channel a Sentinel accepts publications on (§7). */
export const HELLO_CHANNEL = "__sentinel__:hello";

const ONLY_HELLO = error("ERR Only HELLO messages are accepted by Sentinel instances.");

/**
 * `PUBLISH <channel> <message>` on a Sentinel (§17.3): peers deliver hellos this way. Only
 * `__sentinel__:hello` (exact, case-sensitive) is accepted; the message goes to the engine as a
 * hello that arrived through the API (`via: null`), whatever it contains, and the reply is `:1`.
 * `argv` is the whole command.
 */
export function publishCommand(ctx: SentinelApiContext, argv: readonly string[]): Reply {
  if (argv.length !== 3) return wrongArity("publish");
  if (argv[1] !== HELLO_CHANNEL) return ONLY_HELLO;
  const runtime = ctx.runtime;
  runtime.input({ kind: "hello", now: runtime.time(), via: null, payload: argv[2]! });
  return integer(1);
}
