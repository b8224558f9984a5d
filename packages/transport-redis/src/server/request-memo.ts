/**
 * A connection's memo of its last replayable request: the request's bytes and the reply they got.
 *
 * Clients of a Sentinel ask the same question over and over, byte for byte: a pool checking
 * `SENTINEL GET-MASTER-ADDR-BY-NAME mymaster`, a health check sending `PING`. When the next
 * request on the connection is those exact bytes again and nothing that the reply depends on has
 * changed since, the connection appends the recorded reply and applies the command's bookkeeping
 * instead of parsing, looking up, checking and running it again (docs/performance.md, "Replayed
 * requests"). The reply is the one the full path would give, because a replayable command's reply
 * is a function of only:
 *
 * - the request bytes (identical bytes parse to the identical command);
 * - the connection's state (protocol, user, authentication, Pub/Sub context, CLIENT REPLY mode):
 *   changed only by commands, which are not replayable and so bump {@link ServerCore.generation};
 * - the server's state (users and their rules, settings, CLIENT PAUSE): likewise changed only by
 *   commands that bump the generation;
 * - the engine's state (a master's address): {@link ServerCore.stateToken} changes whenever the
 *   engine may have changed (every applied engine output counts).
 *
 * A memo is recorded only for a command that ran to its reply (not one refused by arity, ACL or
 * authentication, whose refusal has effects of its own, such as an ACL LOG entry) and whose reply
 * is not an error.
 */

/**
 * Commands whose reply depends on nothing but the four things above. `SENTINEL MASTER` is not one:
 * its reply carries times that change every millisecond.
 */
export const REPLAYABLE_COMMANDS: ReadonlySet<string> = new Set(["ping", "sentinel|get-master-addr-by-name", "sentinel|get-primary-addr-by-name"]);

/** One recorded request and its reply; see the file comment. */
export class RequestMemo {
  constructor(
    /** The request's whole RESP frame (multibulk or inline), as received. */
    readonly request: Buffer,
    /** The reply's bytes, as encoded for the connection's protocol at the time. */
    readonly reply: Uint8Array,
    /** The command's full name (`sentinel|get-master-addr-by-name`), for CLIENT LIST's `cmd=`. */
    readonly fullName: string,
    /** {@link ServerCore.generation} when recorded. */
    readonly generation: number,
    /** {@link ServerCore.stateToken} when recorded. */
    readonly token: number,
  ) {}

  /** Still the reply the full path would give: nothing it depends on changed since it was recorded. */
  current(generation: number, token: number): boolean {
    return this.generation === generation && this.token === token;
  }
}

/** A reply that must not be recorded: an error (RESP2 `-`, RESP3 blob error `!`). */
export function isErrorReply(reply: Uint8Array): boolean {
  return reply.length === 0 || reply[0] === 0x2d || reply[0] === 0x21;
}
