import { array, bulk, simple } from "../../resp/reply.js";
import { wrongArityError } from "../errors.js";
import type { Invocation } from "./invocation.js";

const PONG = simple("PONG");

/** PING [message]: `+PONG` or the message; in RESP2 Pub/Sub mode `["pong", message-or-""]`. */
export function pingCommand({ conn, argv }: Invocation): void {
  // The table arity is -1; PING itself takes at most one argument (`addReplyErrorArity`).
  if (argv.length > 2) return conn.reply(wrongArityError("ping"));
  const message = argv[1];
  if (conn.isPubSub() && conn.protocol === 2) {
    conn.reply(array([bulk("pong"), bulk(message ?? "")]));
    return;
  }
  conn.reply(message === undefined ? PONG : bulk(message));
}
