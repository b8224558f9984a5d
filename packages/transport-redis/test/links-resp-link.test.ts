// The sentinel's own link client: a streaming RESP2 reply reader (checked against any split of the
// byte stream) and RespLink against a real redis-server (order, errors, pub/sub, closing).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RespLink } from "../src/links/resp-link.js";
import { PlainError, type PlainReply, ReplyProtocolError, ReplyReader } from "../src/resp/reply-reader.js";
import { freePort } from "./fixtures/real-sentinel.js";

const REDIS_SERVER = process.env.VIGIL_REDIS_SERVER ?? "/usr/bin/redis-server";

/** RESP2 encoding of a plain reply (what a server sends). */
function encode(v: PlainReply): string {
  if (v === null) return "$-1\r\n";
  if (v instanceof PlainError) return `-${v.message}\r\n`;
  if (typeof v === "number") return `:${v}\r\n`;
  if (typeof v === "string") return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
  return `*${v.length}\r\n${v.map(encode).join("")}`;
}

const line = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, " "));
const reply: fc.Arbitrary<PlainReply> = fc.letrec<{ r: PlainReply }>((tie) => ({
  r: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.constant(null),
    line.map((m) => new PlainError(m)),
    fc.array(tie("r"), { maxLength: 4 }),
  ),
})).r;

function readAll(bytes: Buffer, cuts: number[]): PlainReply[] {
  const reader = new ReplyReader();
  const out: PlainReply[] = [];
  let from = 0;
  for (const at of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    reader.feed(bytes.subarray(from, at));
    from = at;
    for (let r = reader.next(); r !== undefined; r = reader.next()) out.push(r);
  }
  return out;
}

describe("ReplyReader", () => {
  it("decodes any sequence of replies, however the bytes are split across reads", () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(400), { maxLength: 8 }), (replies, cuts) => {
        const bytes = Buffer.from(replies.map(encode).join(""));
        expect(readAll(bytes, cuts)).toEqual(replies);
      }),
      { numRuns: 400 },
    );
  });

  it("keeps nothing in a reused read buffer: every read's bytes are overwritten before the next", () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(400), { maxLength: 8 }), (replies, cuts) => {
        const bytes = Buffer.from(replies.map(encode).join(""));
        const shared = Buffer.alloc(bytes.length);
        const reader = new ReplyReader();
        const out: PlainReply[] = [];
        let from = 0;
        for (const at of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
          bytes.copy(shared, 0, from, at);
          reader.feed(shared.subarray(0, at - from));
          from = at;
          for (let r = reader.next(); r !== undefined; r = reader.next()) out.push(r);
          reader.detachFrom(shared);
          shared.fill(0x2a); // what the next read of another socket would leave there
        }
        expect(out).toEqual(replies);
      }),
      { numRuns: 400 },
    );
  });

  it("joins a large reply once: 20 MB in 64 KB reads, then a PONG behind it", () => {
    const big = "x".repeat(20 * 1024 * 1024);
    const bytes = Buffer.from(`$${big.length}\r\n${big}\r\n+PONG\r\n`);
    const reader = new ReplyReader();
    const out: PlainReply[] = [];
    const started = performance.now();
    for (let at = 0; at < bytes.length; at += 65536) {
      reader.feed(bytes.subarray(at, at + 65536));
      for (let r = reader.next(); r !== undefined; r = reader.next()) out.push(r);
    }
    expect(out).toEqual([big, "PONG"]);
    // Joining per chunk copies ~6.7 GB here (seconds); once, 20 MB.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("status replies are strings, a null array is null, and garbage is a protocol error", () => {
    expect(readAll(Buffer.from("+PONG\r\n*-1\r\n:0\r\n"), [])).toEqual(["PONG", null, 0]);
    expect(() => readAll(Buffer.from("hello\r\n"), [])).toThrow(ReplyProtocolError);
    expect(() => readAll(Buffer.from(":12x\r\n"), [])).toThrow(ReplyProtocolError);
  });
});

describe("ReplyReader, RESP3 (what vigil explain may get from any server)", () => {
  it("reads each RESP3 type as Redis's RESP2 form of it", () => {
    const wire =
      "_\r\n" + // null
      ",3.14\r\n(3492890328409238509324850943850943825024385\r\n" + // double, big number: text
      "#t\r\n#f\r\n" + // booleans: 1 / 0, as RESP2 integers
      "=15\r\ntxt:Some string\r\n" + // verbatim: the text without its format
      "!21\r\nSYNTAX invalid syntax\r\n" + // blob error
      "~2\r\n+a\r\n:1\r\n" + // set: array
      ">3\r\n+message\r\n+ch\r\n+hi\r\n" + // push: array
      "%2\r\n+first\r\n:1\r\n+second\r\n$-1\r\n" + // map: flat key-value array
      "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n+after attribute\r\n"; // attribute: skipped
    const expected: PlainReply[] = [
      null,
      "3.14",
      "3492890328409238509324850943850943825024385",
      1,
      0,
      "Some string",
      new PlainError("SYNTAX invalid syntax"),
      ["a", 1],
      ["message", "ch", "hi"],
      ["first", 1, "second", null],
      "after attribute",
    ];
    expect(readAll(Buffer.from(wire), [])).toEqual(expected);
    // ... however the bytes are split.
    for (let cut = 1; cut < wire.length; cut++) expect(readAll(Buffer.from(wire), [cut])).toEqual(expected);
  });

  it("refuses malformed RESP3", () => {
    for (const bad of ["#x\r\n", "_x\r\n", "=3\r\nabc\r\n", "%-2\r\n"]) expect(() => readAll(Buffer.from(bad), []), bad).toThrow(ReplyProtocolError);
  });
});

describe("RespLink reading replies that span reads", () => {
  it("keeps a partial reply intact while other links read in between", async () => {
    // A server that answers each command with a 40-byte bulk string in two writes 30 ms apart.
    const server = createServer((sock) => {
      sock.setNoDelay(true);
      sock.on("data", () => {
        const tag = String(sock.remotePort).padStart(5, "0");
        const body = `${tag}${"a".repeat(15)}${"b".repeat(15)}${tag}`;
        sock.write(`$${body.length}\r\n${body.slice(0, 20)}`);
        setTimeout(() => sock.write(`${body.slice(20)}\r\n`), 30);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const links = await Promise.all(
        [0, 1, 2].map(
          () => new Promise<RespLink>((resolve, reject) => {
            const l: RespLink = new RespLink({ host: "127.0.0.1", port, connectTimeoutMs: 1000 }, () => resolve(l), (why) => reject(new Error(why)));
          }),
        ),
      );
      // Staggered by 10 ms: every link's second half arrives after another link's first half.
      const replies = await Promise.all(
        links.map(
          (l, i) => new Promise<PlainReply | undefined>((r) => setTimeout(() => l.send(["GET", "k"], (reply) => r(reply)), i * 10)),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        expect(typeof reply).toBe("string");
        const text = reply as string;
        expect(text).toMatch(/^(\d{5})a{15}b{15}\1$/);
        expect(text.slice(0, 5)).not.toBe(replies[(i + 1) % replies.length]!.toString().slice(0, 5));
      }
      for (const l of links) l.close();
    } finally {
      server.close();
    }
  });
});

describe("RespLink against redis-server", () => {
  let server: ChildProcess;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(REDIS_SERVER)) throw new Error(`redis-server not found at ${REDIS_SERVER}: install redis-server (Debian) or set VIGIL_REDIS_SERVER`);
    port = await freePort();
    server = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((r) => {
        const l = new RespLink({ host: "127.0.0.1", port, connectTimeoutMs: 500 }, () => l.send(["PING"], () => (r(true), l.close())), () => r(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("redis-server did not start");
  });

  afterAll(() => {
    server?.kill("SIGKILL");
  });

  const open = () =>
    new Promise<{ link: RespLink; closes: string[] }>((resolve, reject) => {
      const closes: string[] = [];
      const link: RespLink = new RespLink({ host: "127.0.0.1", port, connectTimeoutMs: 1000 }, () => resolve({ link, closes }), (why) => {
        closes.push(why);
        reject(new Error(why));
      });
    });
  const call = (link: RespLink, args: string[]) => new Promise<{ reply: PlainReply | undefined; error?: string }>((r) => link.send(args, (reply, error) => r({ reply, error })));

  it("answers pipelined commands in order, with replies as plain values and error replies as errors", async () => {
    const { link } = await open();
    try {
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => call(link, ["ECHO", `m${i}é`])));
      expect(replies.map((r) => r.reply)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}é`));
      expect(await call(link, ["PING"])).toEqual({ reply: "PONG" });
      expect(await call(link, ["RPUSH", "l", "a", "b"])).toEqual({ reply: 2 });
      expect(await call(link, ["LRANGE", "l", "0", "-1"])).toEqual({ reply: ["a", "b"] });
      expect(await call(link, ["GET", "missing"])).toEqual({ reply: null });
      const info = await call(link, ["INFO"]);
      expect(String(info.reply)).toContain("redis_version:");
      const bad = await call(link, ["NOSUCHCOMMAND"]);
      expect(bad.reply).toBeUndefined();
      expect(bad.error).toMatch(/^ERR unknown command/);
      expect(await call(link, ["PING"])).toEqual({ reply: "PONG" }); // still in step after an error
    } finally {
      link.close();
    }
  });

  it("delivers hello messages on a subscribed link; corked commands leave together", async () => {
    const sub = await open();
    const pub = await open();
    try {
      const got: string[] = [];
      sub.link.onMessage = (channel, payload) => got.push(`${channel} ${payload}`);
      expect(await new Promise((r) => sub.link.subscribe(["SUBSCRIBE", "__sentinel__:hello"], (reply) => r(reply)))).toEqual(["subscribe", "__sentinel__:hello", 1]);
      pub.link.cork();
      const a = call(pub.link, ["PUBLISH", "__sentinel__:hello", "one"]);
      const b = call(pub.link, ["PUBLISH", "__sentinel__:hello", "two"]);
      pub.link.uncork();
      expect([(await a).reply, (await b).reply]).toEqual([1, 1]);
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toEqual(["__sentinel__:hello one", "__sentinel__:hello two"]);
    } finally {
      sub.link.close();
      pub.link.close();
    }
  });

  it("closing fails the commands still waiting, after onClose ran exactly once", async () => {
    const { link, closes } = await open().then((x) => ({ ...x, closes: x.closes }));
    const order: string[] = [];
    const waiting = new Promise<string | undefined>((r) =>
      link.send(["BLPOP", "never", "0"], (_reply, error) => {
        order.push(`callback:${closes.length}`);
        r(error);
      }),
    );
    link.close();
    link.close();
    expect(await waiting).toBe("Connection is closed.");
    expect(closes).toEqual(["Connection is closed."]);
    expect(order).toEqual(["callback:1"]);
    expect(await call(link, ["PING"])).toEqual({ reply: undefined, error: "Connection is closed." });
  });

  it("a refused connection reports the reason once and never becomes ready", async () => {
    const dead = await freePort();
    const events: string[] = [];
    await new Promise<void>((done) => {
      new RespLink({ host: "127.0.0.1", port: dead, connectTimeoutMs: 1000 }, () => events.push("ready"), (why) => {
        events.push(why);
        setTimeout(done, 50);
      });
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toContain("ECONNREFUSED");
  });
});
