import net from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { bulkArray, error, NULL_ARRAY, type Reply } from "../src/resp/reply.js";
import { MAX_MEMO_REPLY_BYTES } from "../src/server/request-memo.js";
import type { RespServer } from "../src/server/types.js";
import { SENTINEL_LIKE_HANDLERS, startServer } from "./fixtures/our-server.js";
import { command } from "./fixtures/raw-client.js";

// Replayed requests (server/request-memo.ts): a repeated PING / GET-MASTER-ADDR-BY-NAME is answered
// from the reply recorded the first time. It must be invisible: the same bytes, counters and
// CLIENT LIST fields as running the command, whatever changes in between.

/**
 * A stand-in engine: one master whose address moves (`token` changes with it, as the runtime's
 * does) and a clock that SENTINEL MASTER's "milliseconds since" field is measured against.
 */
class FakeEngine {
  port = 6379;
  token = 0;
  now = 1_000_000;
  calls = 0;
  move(): void {
    this.port++;
    this.token++;
  }
  sentinel = (args: readonly string[]): Reply => {
    this.calls++;
    const sub = args[1]?.toLowerCase();
    if (sub === "master") return args[2] === "mymaster" ? bulkArray(["name", "mymaster", "port", String(this.port), "last-ping-sent", String(this.now - 999_000)]) : NO_SUCH;
    // A reply over the memo's size limit (MASTERS of a few hundred masters).
    if (sub === "masters") return bulkArray(Array.from({ length: 2000 }, (_, i) => `field-${i}-${this.now}`));
    if (sub !== "get-master-addr-by-name") return NULL_ARRAY;
    return args[2] === "mymaster" ? bulkArray(["127.0.0.1", String(this.port)]) : NULL_ARRAY;
  };
}

const NO_SUCH = error("ERR No such master with that name");

const servers: RespServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(engine: FakeEngine, replayRequests: boolean, withToken = true): Promise<number> {
  return (await startWith(engine, replayRequests, withToken)).port;
}

async function startWith(engine: FakeEngine, replayRequests: boolean, withToken = true): Promise<{ server: RespServer; port: number }> {
  const handlers = { ...SENTINEL_LIKE_HANDLERS, sentinel: engine.sentinel, ...(withToken ? { stateToken: () => engine.token, clock: () => engine.now } : {}) };
  const { server, port } = await startServer({ handlers, replayRequests, dialect: "valkey-8" });
  servers.push(server);
  return { server, port };
}

/** A connection whose every exchange ends with a unique `PING <marker>`, so any reply count works. */
class Client {
  private data = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private seq = 0;
  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.data = Buffer.concat([this.data, d]);
      this.waiter?.();
    });
  }
  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new Client(s)));
      sockets.push(s);
      s.once("error", reject);
    });
  }
  /** Sends `payload` alone and resolves with the next `bytes` bytes of replies. */
  async send(payload: Buffer, bytes: number): Promise<string> {
    this.socket.write(payload);
    while (this.data.length < bytes) {
      await new Promise<void>((r) => {
        this.waiter = r;
      });
    }
    const out = this.data.subarray(0, bytes).toString("latin1");
    this.data = this.data.subarray(bytes);
    return out;
  }

  /** Sends `pieces` (a pause between them: split frames), then the marker; returns every reply byte. */
  async exchange(...pieces: Buffer[]): Promise<string> {
    const marker = `m${++this.seq}`;
    const end = Buffer.from(`$${marker.length}\r\n${marker}\r\n`);
    for (const [i, p] of pieces.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, 2));
      this.socket.write(p);
    }
    // REPLY ON first: a trailing CLIENT REPLY SKIP/OFF would swallow the marker.
    this.socket.write(Buffer.concat([command("CLIENT", "REPLY", "ON"), command("PING", marker)]));
    while (!(this.data.length >= end.length && this.data.subarray(this.data.length - end.length).equals(end))) {
      await new Promise<void>((r) => {
        this.waiter = r;
      });
    }
    const out = this.data.subarray(0, this.data.length - end.length).toString("latin1").replace(/\+OK\r\n$/, "");
    this.data = Buffer.alloc(0);
    return out;
  }
}

const GMA = command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");

describe("replayed requests", () => {
  it("run the handler once for a pipeline of identical requests, and count every one", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const c = await Client.open(port);
    const before = servers[0]!.stats().totalCommandsProcessed;
    const got = await c.exchange(Buffer.concat(Array.from({ length: 100 }, () => GMA)));
    expect(got).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n".repeat(100));
    expect(engine.calls).toBe(1);
    // 100 requests, CLIENT REPLY ON and the marker PING.
    expect(servers[0]!.stats().totalCommandsProcessed - before).toBe(102);
    // CLIENT LIST's cmd= names the replayed command, as it would the one that ran.
    const want = "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n".repeat(3);
    const raw = net.connect(port, "127.0.0.1");
    sockets.push(raw);
    let got3 = "";
    await new Promise<void>((resolve) => {
      raw.on("data", (d: Buffer) => {
        got3 += d.toString("latin1");
        if (got3.length >= want.length) resolve();
      });
      raw.write(Buffer.concat([GMA, GMA, GMA]));
    });
    expect(got3).toBe(want);
    expect(servers[0]!.clients().filter((x) => x.lastCommand === "sentinel|get-master-addr-by-name")).toHaveLength(1);
  });

  it("are run again once the engine moved: the next identical request sees the new address", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const c = await Client.open(port);
    expect(await c.exchange(GMA, GMA)).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n".repeat(2));
    engine.move();
    expect(await c.exchange(GMA, GMA)).toBe("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n".repeat(2));
    expect(engine.calls).toBe(2);
  });

  it("carry a millisecond's \"milliseconds since\" fields only within that millisecond", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const c = await Client.open(port);
    const master = command("SENTINEL", "MASTER", "mymaster");
    const reply = (since: number) => `*6\r\n$4\r\nname\r\n$8\r\nmymaster\r\n$4\r\nport\r\n$4\r\n6379\r\n$14\r\nlast-ping-sent\r\n$4\r\n${since}\r\n`;
    expect(await c.exchange(Buffer.concat([master, master, master]))).toBe(reply(1000).repeat(3));
    expect(engine.calls).toBe(1);
    engine.now++;
    expect(await c.exchange(master, master)).toBe(reply(1001).repeat(2));
    expect(engine.calls).toBe(2);
    // An error reply (unknown master) is never recorded.
    const unknown = command("SENTINEL", "MASTER", "nope");
    await c.exchange(unknown, unknown);
    expect(engine.calls).toBe(4);
  });

  it("are shared between plain connections of one protocol, never with a restricted or RESP3 one", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const [a, b, admin] = await Promise.all([Client.open(port), Client.open(port), Client.open(port)]);
    const addr = "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n";
    // Without the marker (its CLIENT REPLY ON would end every memo): a's reply serves b.
    expect(await a.send(GMA, addr.length)).toBe(addr);
    expect(await b.send(Buffer.concat([GMA, GMA]), 2 * addr.length)).toBe(addr.repeat(2));
    expect(engine.calls).toBe(1);
    await b.exchange(command("HELLO", "3"));
    expect(await b.exchange(command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope"))).toBe("_\r\n");
    expect(await a.exchange(command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope"))).toBe("*-1\r\n");
    // A user without the command, on a fresh connection: refused, though a plain one just got the reply.
    expect(await admin.exchange(command("ACL", "SETUSER", "r", "on", ">pw", "-@all"))).toBe("+OK\r\n");
    expect(await a.exchange(GMA)).toBe(addr);
    const raw = net.connect(port, "127.0.0.1");
    sockets.push(raw);
    const refused = await new Promise<string>((resolve) => {
      let seen = "";
      raw.on("data", (d: Buffer) => {
        seen += d.toString("latin1");
        if (seen.split("\r\n").length > 2) resolve(seen);
      });
      raw.write(Buffer.concat([command("AUTH", "r", "pw"), GMA]));
    });
    expect(refused).toMatch(/^\+OK\r\n-NOPERM/);
  });

  it("keep no reply over the size limit: an idle connection must not hold a big one", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const c = await Client.open(port);
    const masters = command("SENTINEL", "MASTERS");
    const got = await c.exchange(Buffer.concat([masters, masters]));
    expect(got.length).toBeGreaterThan(2 * MAX_MEMO_REPLY_BYTES);
    expect(engine.calls).toBe(2);
  });

  it("are never replayed for a delegated command when the handlers give no state token", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true, false);
    const c = await Client.open(port);
    await c.exchange(Buffer.concat([GMA, GMA, GMA]));
    expect(engine.calls).toBe(3);
  });

  it("follow the connection's protocol, reply mode and the user's rules", async () => {
    const engine = new FakeEngine();
    const port = await start(engine, true);
    const c = await Client.open(port);
    const admin = await Client.open(port);
    const unknown = command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nope");
    expect(await c.exchange(unknown, unknown)).toBe("*-1\r\n*-1\r\n");
    await c.exchange(command("HELLO", "3"));
    expect(await c.exchange(unknown, unknown)).toBe("_\r\n_\r\n");
    expect(await c.exchange(command("CLIENT", "REPLY", "SKIP"), unknown, unknown)).toBe("_\r\n");
    // A user whose rules change on another connection: the identical request is refused next time.
    expect(await admin.exchange(command("ACL", "SETUSER", "u", "on", ">pw", "+@all"))).toBe("+OK\r\n");
    const raw = net.connect(port, "127.0.0.1");
    sockets.push(raw);
    let seen = "";
    const until = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => seen.endsWith(text) && resolve();
        raw.on("data", (d: Buffer) => {
          seen += d.toString("latin1");
          check();
        });
        check();
      });
    raw.write(Buffer.concat([command("AUTH", "u", "pw"), GMA, GMA]));
    await until("6379\r\n*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6379\r\n");
    expect(await admin.exchange(command("ACL", "SETUSER", "u", "-@all"))).toBe("+OK\r\n");
    seen = "";
    raw.write(GMA);
    await until("\r\n");
    expect(seen).toMatch(/^-NOPERM/);
  });
});

/** One step of the property below; applied alike to both servers. */
type Step =
  | { readonly kind: "send"; readonly pieces: readonly Buffer[] }
  | { readonly kind: "admin"; readonly payload: Buffer }
  | { readonly kind: "move" }
  | { readonly kind: "tick" };

const requests = fc.constantFrom(
  GMA,
  command("sentinel", "get-master-addr-by-name", "mymaster"),
  command("SENTINEL", "GET-PRIMARY-ADDR-BY-NAME", "mymaster"),
  command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "other"),
  command("SENTINEL", "GET-MASTER-ADDR-BY-NAME"),
  command("SENTINEL", "MASTER", "mymaster"),
  command("SENTINEL", "MASTER", "nope"),
  command("PING"),
  command("PING", "x"),
  Buffer.from("PING\r\n"),
  Buffer.from("ping\n"),
  command("HELLO", "3"),
  command("HELLO", "2"),
  command("CLIENT", "REPLY", "SKIP"),
  Buffer.concat([command("CLIENT", "REPLY", "OFF"), GMA, command("PING"), command("CLIENT", "REPLY", "ON")]),
  command("SUBSCRIBE", "chan"),
  command("UNSUBSCRIBE"),
  command("CLIENT", "SETNAME", "n"),
);

const steps = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.array(requests, { minLength: 1, maxLength: 8 }).map((r): Step => ({ kind: "send", pieces: [Buffer.concat(r)] })) },
    {
      weight: 2,
      arbitrary: fc.tuple(requests, fc.nat()).map(([r, at]): Step => ({ kind: "send", pieces: [r.subarray(0, at % r.length), r.subarray(at % r.length)] })),
    },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: "move" }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: "tick" }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(command("CLIENT", "SETNAME", "admin"), command("ACL", "SETUSER", "v", "on", "nopass", "+@all"), command("ACL", "DELUSER", "v"))
        .map((payload): Step => ({ kind: "admin", payload })),
    },
  ),
  { minLength: 1, maxLength: 25 },
);

describe("replayed requests (property)", () => {
  it("give the bytes and counters of running every command, whatever happens in between", async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        const runs = await Promise.all(
          [true, false].map(async (replay) => {
            const engine = new FakeEngine();
            const { server, port } = await startWith(engine, replay);
            const c = await Client.open(port);
            const admin = await Client.open(port);
            const transcript: string[] = [];
            for (const step of plan) {
              if (step.kind === "move") engine.move();
              else if (step.kind === "tick") engine.now++;
              else if (step.kind === "admin") transcript.push(await admin.exchange(step.payload));
              else transcript.push(await c.exchange(...step.pieces));
            }
            const stats = server.stats();
            return { transcript, commands: stats.totalCommandsProcessed, errors: stats.totalErrorReplies };
          }),
        );
        expect(runs[0]).toEqual(runs[1]);
        for (const s of sockets.splice(0)) s.destroy();
        await Promise.all(servers.splice(0).map((s) => s.close()));
      }),
      { numRuns: 60 },
    );
  });
});
