import { array, bulk, bulkArray, type Reply } from "../resp/reply.js";
import type { SentinelApiContext } from "./context.js";
import { wrongArity } from "./errors.js";

/** `ROLE` on a Sentinel (§17.3): `["sentinel", [master names...]]`. `argv` is the whole command. */
export function roleCommand(ctx: SentinelApiContext, argv: readonly string[]): Reply {
  if (argv.length !== 1) return wrongArity("role");
  return array([bulk("sentinel"), bulkArray(ctx.runtime.engine.view().masters.map((m) => m.name))]);
}
