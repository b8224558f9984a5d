import { aclCommand } from "./acl.js";
import { authCommand } from "./auth.js";
import { clientCommand } from "./client.js";
import { commandCommand } from "./command.js";
import { helloCommand } from "./hello.js";
import type { Builtin } from "./invocation.js";
import { pingCommand } from "./ping.js";
import { psubscribeCommand, punsubscribeCommand, subscribeCommand, unsubscribeCommand } from "./pubsub.js";
import { shutdownCommand } from "./shutdown.js";

/**
 * Commands the server answers itself, by top-level name. The other Sentinel commands (SENTINEL,
 * INFO, ROLE, PUBLISH) go to the embedder's handlers.
 */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["acl", aclCommand],
  ["auth", authCommand],
  ["client", clientCommand],
  ["command", commandCommand],
  ["hello", helloCommand],
  ["ping", pingCommand],
  ["psubscribe", psubscribeCommand],
  ["punsubscribe", punsubscribeCommand],
  ["shutdown", shutdownCommand],
  ["subscribe", subscribeCommand],
  ["unsubscribe", unsubscribeCommand],
]);
