import type { Protocol } from "../resp/encoder.js";
import type { ServerCore } from "./server-core.js";

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
 *   engine may have changed (every applied engine output counts);
 * - for the `clock` ones, the millisecond the handler read (`SENTINEL MASTER`'s "milliseconds
 *   since" fields): a memo of theirs holds only within that millisecond of {@link ServerCore.clock}.
 *
 * A memo is recorded only for a command that ran to its reply (not one refused by arity, ACL or
 * authentication, whose refusal has effects of its own, such as an ACL LOG entry) and whose reply
 * is not an error.
 */

/** What a replayable command's reply depends on besides its bytes and the connection's and server's state. */
export type ReplayKind = "state" | "clock";

/**
 * Commands whose reply depends on nothing but the things above: the engine's state (`state`), and
 * also the current millisecond (`clock`: the instance views carry "milliseconds since" fields).
 */
export const REPLAYABLE_COMMANDS: ReadonlyMap<string, ReplayKind> = new Map<string, ReplayKind>([
  ["ping", "state"],
  ["sentinel|get-master-addr-by-name", "state"],
  ["sentinel|get-primary-addr-by-name", "state"],
  ["sentinel|master", "clock"],
  ["sentinel|primary", "clock"],
  ["sentinel|masters", "clock"],
  ["sentinel|primaries", "clock"],
  ["sentinel|replicas", "clock"],
  ["sentinel|slaves", "clock"],
  ["sentinel|sentinels", "clock"],
]);

/**
 * The largest reply a memo keeps. A connection keeps its memo until its next request: one that
 * asked SENTINEL MASTERS of 200 masters (~200 KB) and then idled would hold it all that time.
 */
export const MAX_MEMO_REPLY_BYTES = 16 * 1024;

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
    /** The millisecond the reply was made in, for a `clock` command; undefined for a `state` one. */
    readonly clock: number | undefined,
    /** The protocol the reply is encoded in. */
    readonly protocol: Protocol,
  ) {}

  /** Still the reply the full path would give: nothing it depends on changed since it was recorded. */
  holds(core: MemoCore): boolean {
    return this.generation === core.generation && this.token === core.stateToken() && (this.clock === undefined || this.clock === core.clock());
  }

  /**
   * A memo of the replayable command that just ran: its frame `request`, its `reply`, `clock` read
   * before it ran. Undefined when it must not be recorded: an error reply, a frame no longer held
   * whole, or a clock command whose millisecond changed while it ran (its reply is tied to the one
   * its handler read, which is then unknown).
   */
  static record(
    core: MemoCore,
    kind: ReplayKind,
    clock: number,
    request: Buffer | undefined,
    reply: Uint8Array,
    fullName: string,
    protocol: Protocol,
  ): RequestMemo | undefined {
    const at = kind === "clock" ? clock : undefined;
    if (request === undefined || isErrorReply(reply) || (at !== undefined && core.clock() !== at)) return undefined;
    return new RequestMemo(request, reply, fullName, core.generation, core.stateToken(), at, protocol);
  }
}

/** What a memo is checked against: {@link ServerCore}'s counters and clock. */
export type MemoCore = Pick<ServerCore, "generation" | "stateToken" | "clock">;

/** A reply that must not be recorded: an error (RESP2 `-`, RESP3 blob error `!`). */
export function isErrorReply(reply: Uint8Array): boolean {
  return reply.length === 0 || reply[0] === 0x2d || reply[0] === 0x21;
}
