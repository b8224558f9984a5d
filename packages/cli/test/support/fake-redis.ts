// A misbehaving "Redis" on 127.0.0.1 for hostile-input tests, written with node:net: it answers the
// commands a sentinel sends (PING, INFO, AUTH, CLIENT, SUBSCRIBE, PUBLISH, ...) however the test
// says, including with bytes that are not RESP at all.
import net from "node:net";

/** How to answer one request: raw bytes to write, or nothing (never answer). */
export type FakeAnswer = Buffer | string | undefined;

export interface FakeRedis {
  readonly port: number;
  /** Requests received, by upper-cased command name. */
  readonly counts: Map<string, number>;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A RESP bulk string. */
export function bulk(text: string | Buffer): Buffer {
  const b = typeof text === "string" ? Buffer.from(text) : text;
  return Buffer.concat([Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n")]);
}

/** Replies of a well-behaved master for everything but what `handler` overrides (return `null` to fall through). */
function standard(args: readonly string[]): FakeAnswer {
  switch (args[0]) {
    case "PING":
      return "+PONG\r\n";
    case "INFO":
      return bulk("# Server\r\nrun_id:0123456789012345678901234567890123456789\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n");
    case "SUBSCRIBE":
      return `*3\r\n$9\r\nsubscribe\r\n$${args[1]!.length}\r\n${args[1]}\r\n:1\r\n`;
    case "PUBLISH":
      return ":0\r\n";
    default:
      return "+OK\r\n";
  }
}

/**
 * Parse RESP multibulk requests (what ioredis sends) from a growing buffer. Returns the commands
 * found and the unconsumed rest.
 */
function parseRequests(buf: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let pos = 0;
  for (;;) {
    if (pos >= buf.length || buf[pos] !== 0x2a) break;
    const eol = buf.indexOf("\r\n", pos);
    if (eol < 0) break;
    const n = Number(buf.toString("latin1", pos + 1, eol));
    let p = eol + 2;
    const args: string[] = [];
    let complete = true;
    for (let i = 0; i < n; i++) {
      const e = buf.indexOf("\r\n", p);
      if (e < 0 || buf[p] !== 0x24) {
        complete = false;
        break;
      }
      const len = Number(buf.toString("latin1", p + 1, e));
      if (e + 2 + len + 2 > buf.length) {
        complete = false;
        break;
      }
      args.push(buf.toString("utf8", e + 2, e + 2 + len));
      p = e + 2 + len + 2;
    }
    if (!complete) break;
    args[0] = (args[0] ?? "").toUpperCase();
    commands.push(args);
    pos = p;
  }
  return { commands, rest: buf.subarray(pos) };
}

/**
 * Start a fake Redis. `handler` may return `null` to use the standard reply for that command
 * (a healthy master with no replicas).
 */
export async function startFakeRedis(handler: (args: readonly string[], count: number) => FakeAnswer | null): Promise<FakeRedis> {
  const counts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    let buf: Buffer = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const { commands, rest } = parseRequests(buf);
      buf = rest;
      for (const args of commands) {
        const name = args[0]!;
        const count = (counts.get(name) ?? 0) + 1;
        counts.set(name, count);
        const custom = handler(args, count);
        const answer = custom === null ? standard(args) : custom;
        if (answer !== undefined && !socket.destroyed) socket.write(answer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    counts,
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
