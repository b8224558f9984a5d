import { connect } from "node:net";
// The transport's reply reader through its own entry point: not the package index, which would load
// the whole server (and ioredis) for a one-line question.
import { PlainError, type PlainReply, ReplyReader } from "@vigil/transport-redis/reply-reader";

export { PlainError, type PlainReply };

/** Where a companion command finds the daemon. */
export interface DaemonAddress {
  readonly host: string;
  readonly port: number;
  /** `requirepass` of the Sentinel, if it has one (also read from `REDISCLI_AUTH`). */
  readonly password?: string;
  readonly user?: string;
  readonly timeoutMs?: number;
}

function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(""));
}

/**
 * Send commands to a running Sentinel over one short-lived connection and return their replies in
 * order. A tiny RESP client on purpose: the companion commands need one round trip, not a client
 * library with reconnects and a command queue.
 */
export async function sendCommands(to: DaemonAddress, commands: readonly (readonly string[])[]): Promise<PlainReply[]> {
  const all: (readonly string[])[] = [];
  if (to.password !== undefined) all.push(to.user === undefined ? ["AUTH", to.password] : ["AUTH", to.user, to.password]);
  all.push(...commands);
  const decoder = new ReplyReader();
  const replies: PlainReply[] = [];
  return new Promise((resolve, reject) => {
    const socket = connect({ host: to.host, port: to.port });
    socket.setTimeout(to.timeoutMs ?? 5000, () => socket.destroy(new Error(`no reply from ${to.host}:${to.port} within ${to.timeoutMs ?? 5000} ms`)));
    socket.once("error", reject);
    socket.once("connect", () => socket.write(Buffer.concat(all.map(encodeCommand))));
    socket.on("data", (chunk: Buffer) => {
      decoder.feed(chunk);
      try {
        for (let r = decoder.next(); r !== undefined; r = decoder.next()) replies.push(r);
      } catch (e) {
        socket.destroy(e as Error);
        return;
      }
      if (replies.length >= all.length) {
        socket.end();
        const auth = to.password !== undefined ? replies.shift() : undefined;
        if (auth instanceof PlainError) reject(new Error(`AUTH failed: ${auth.message}`));
        else resolve(replies);
      }
    });
    socket.once("close", () => {
      if (replies.length < all.length) reject(new Error(`connection to ${to.host}:${to.port} closed before the reply`));
    });
  });
}

/** Plain text of a reply: array items one per line, errors prefixed with `(error)`. */
export function replyText(r: PlainReply): string {
  if (r === null) return "(nil)";
  if (r instanceof PlainError) return `(error) ${r.message}`;
  if (Array.isArray(r)) return r.map(replyText).join("\n");
  return String(r);
}
