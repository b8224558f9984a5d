import { bulk, integer, NULL, push, type Reply } from "../../resp/reply.js";
import { binaryToBytes, bytesToBinary } from "../byte-string.js";
import type { Connection } from "../connection.js";
import { err } from "../errors.js";
import type { Invocation } from "./invocation.js";

/** `[kind, name-or-null, subscription count]`, a push in RESP3 and an array in RESP2. */
function confirmation(conn: Connection, kind: string, name: string | undefined): Reply {
  return push([bulk(kind), name === undefined ? NULL : bulk(binaryToBytes(name)), integer(conn.channels.size + conn.patterns.size)]);
}

/** SUBSCRIBE channel [channel ...]: one confirmation per argument, even for repeats. */
export function subscribeCommand({ conn, argv }: Invocation): void {
  for (const a of argv.slice(1)) {
    const channel = bytesToBinary(a);
    conn.core.pubsub.subscribe(conn, channel);
    conn.deliver(confirmation(conn, "subscribe", channel));
  }
}

/** PSUBSCRIBE pattern [pattern ...]. */
export function psubscribeCommand({ conn, argv }: Invocation): void {
  for (const a of argv.slice(1)) {
    const pattern = bytesToBinary(a);
    conn.core.pubsub.psubscribe(conn, pattern);
    conn.deliver(confirmation(conn, "psubscribe", pattern));
  }
}

/** Valkey 8 refuses (P)UNSUBSCRIBE from a client with no subscription at all; Redis confirms. */
function notSubscribed(conn: Invocation["conn"], command: string): boolean {
  if (conn.core.settings.dialect !== "valkey-8" || conn.isPubSub()) return false;
  conn.reply(err(`NOSUB '${command}' command executed not in subscribed mode`));
  return true;
}

/** UNSUBSCRIBE [channel ...]: without arguments, every channel (or one null confirmation). */
export function unsubscribeCommand({ conn, argv }: Invocation): void {
  if (notSubscribed(conn, "unsubscribe")) return;
  const names = argv.length > 1 ? argv.slice(1).map(bytesToBinary) : [...conn.channels];
  if (names.length === 0) {
    conn.deliver(confirmation(conn, "unsubscribe", undefined));
    return;
  }
  for (const channel of names) {
    conn.core.pubsub.unsubscribe(conn, channel);
    conn.deliver(confirmation(conn, "unsubscribe", channel));
  }
}

/** PUNSUBSCRIBE [pattern ...]. */
export function punsubscribeCommand({ conn, argv }: Invocation): void {
  if (notSubscribed(conn, "punsubscribe")) return;
  const names = argv.length > 1 ? argv.slice(1).map(bytesToBinary) : [...conn.patterns];
  if (names.length === 0) {
    conn.deliver(confirmation(conn, "punsubscribe", undefined));
    return;
  }
  for (const pattern of names) {
    conn.core.pubsub.punsubscribe(conn, pattern);
    conn.deliver(confirmation(conn, "punsubscribe", pattern));
  }
}
