/**
 * Hostile input on the sentinel port of a running `vigil` daemon (issue 8, "Hostile and broken
 * input"): malformed RESP compared byte for byte with `redis-sentinel` 7.0.15, memory attacks on
 * the request parser, 10,000 idle connections, slowloris clients, and clients that never read their
 * replies or their Pub/Sub messages. After each: the daemon is up, it still monitors its master,
 * its resident memory stayed bounded (VmRSS from /proc, sampled), and other clients were served.
 * redis-server and redis-sentinel are mandatory: a missing binary fails the file.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedWithin, connectRaw, MB, rawExchange, rssBytes, sampleRss } from "./support/hostile.js";
import { cleanup, cmd, freePorts, type Proc, pairs, requireBinary, sentinelConf, sleep, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";
import { RespConnection } from "./support/resp-client.js";

let redis: Proc;
let vigil: Proc;
let oracle: Proc;
let logFile: string;

beforeAll(async () => {
  requireBinary("redis-server");
  requireBinary("redis-sentinel");
  const [masterPort, vigilPort, oraclePort] = await freePorts(3);
  redis = await startRedis(masterPort!);
  const dir = tempDir("vigil-hostile-resp-");
  logFile = join(dir, "vigil.log");
  // Room for 10,000 idle clients plus the ones that check the daemon still answers.
  const vigilConf = sentinelConf(dir, vigilPort!, masterPort!, { quorum: 1, downAfter: 5000, extra: ["maxclients 10100", `logfile ${logFile}`] });
  vigil = await startSentinel("vigil", vigilConf, vigilPort!);
  const oracleDir = tempDir("vigil-hostile-oracle-");
  oracle = await startSentinel("redis", sentinelConf(oracleDir, oraclePort!, masterPort!, { quorum: 1, downAfter: 5000 }), oraclePort!);
}, 60_000);

afterAll(cleanup);

const pid = () => vigil.child.pid!;

/** Wait until `s` can take more data or is gone, without leaving listeners behind. */
function drainOrClose(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off("drain", done);
      s.off("close", done);
      resolve();
    };
    s.on("drain", done);
    s.on("close", done);
  });
}
const log = () => readFileSync(logFile, "utf8");
const outputLimitHits = () => (log().match(/closed for overcoming of output buffer limits/g) ?? []).length;

/** The daemon is up, answers, and still sees a healthy master. */
async function expectHealthy(): Promise<void> {
  expect(vigil.child.exitCode).toBeNull();
  expect(await cmd(vigil.port, "PING")).toBe("PONG");
  const m = pairs(await cmd(vigil.port, "SENTINEL", "MASTER", "mymaster"));
  expect(m.flags).toBe("master");
  expect(log()).not.toContain("internal error");
}

describe("malformed RESP, byte for byte like redis-sentinel", () => {
  /**
   * `error`: for payloads still being sent when the server gives up, Redis's close (with unread
   * input pending) turns into a TCP reset that can destroy its error reply before the client reads
   * it. There we check our reply against Redis's message and only that both closed.
   */
  const cases: { name: string; payload: string | Buffer; replies?: number; error?: string; timeoutMs?: number }[] = [
    { name: "bulk length 2^40", payload: "*1\r\n$1099511627776\r\n" },
    { name: "bulk length 2^63", payload: "*1\r\n$9223372036854775808\r\n" },
    { name: "negative bulk length", payload: "*1\r\n$-1\r\n" },
    { name: "bulk length not a number", payload: "*1\r\n$4x\r\nPING\r\n" },
    { name: "multibulk count 2^31", payload: "*2147483648\r\n" },
    { name: "multibulk count not a number", payload: "*abc\r\n" },
    { name: "negative multibulk count is skipped", payload: "*-5\r\nPING\r\n", replies: 1 },
    { name: "zero multibulk count is skipped", payload: "*0\r\nPING\r\n", replies: 1 },
    { name: "nested array", payload: "*1\r\n*1\r\n$4\r\nPING\r\n" },
    { name: "a million nested arrays", payload: "*1\r\n".repeat(1_000_000), error: "-ERR Protocol error: expected '$', got '*'\r\n" },
    { name: "integer where a bulk belongs", payload: "*1\r\n:1\r\n" },
    { name: "bulk payload not followed by CRLF", payload: "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", replies: 2 },
    { name: "unbalanced quotes inline", payload: 'PING "abc\r\n' },
    { name: "inline line of 10 MB", payload: Buffer.alloc(10 * MB, 0x61), error: "-ERR Protocol error: too big inline request\r\n" },
    { name: "invalid UTF-8 command and arguments", payload: Buffer.from("*2\r\n$2\r\n\xc3\x28\r\n$2\r\n\xff\xfe\r\n*2\r\n$4\r\nPING\r\n$3\r\n\xed\xa0\x80\r\n", "latin1"), replies: 2 },
    { name: "invalid UTF-8 master name", payload: Buffer.from("*3\r\n$8\r\nSENTINEL\r\n$6\r\nMASTER\r\n$2\r\n\xff\xfe\r\n", "latin1"), replies: 1 },
    // Neither server sees a line end behind a NUL: both wait (here: 2 s) for more input.
    { name: "a NUL before the line end", payload: Buffer.from("PING\0\r\nPING\r\n", "latin1"), timeoutMs: 2000 },
    { name: "a bare LF inline", payload: "PING\nPING\n", replies: 2 },
    { name: "binary junk", payload: Buffer.from([0xff, 0x00, 0x2a, 0x0d, 0x0a, 0x24, 0x80, 0x0d, 0x0a]), timeoutMs: 2000 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const opts = { replies: c.replies, timeoutMs: c.timeoutMs ?? (c.replies === undefined ? 15000 : 5000) };
      const [ours, theirs] = await Promise.all([rawExchange(vigil.port, c.payload, opts), rawExchange(oracle.port, c.payload, opts)]);
      if (c.error !== undefined) {
        expect({ reply: ours.bytes.toString("latin1"), closed: ours.closed }).toEqual({ reply: c.error, closed: true });
        expect(theirs.closed).toBe(true);
        expect(["", c.error]).toContain(theirs.bytes.toString("latin1"));
        return;
      }
      expect({ reply: ours.bytes.toString("latin1"), closed: ours.closed }).toEqual({ reply: theirs.bytes.toString("latin1"), closed: theirs.closed });
    });
  }
  it("leaves the daemon healthy", expectHealthy);
});

describe("memory stays bounded", () => {
  it("*2147483647 followed by endless empty arguments is cut at the query buffer limit", async () => {
    const before = rssBytes(pid());
    const rss = sampleRss(pid());
    const s = await connectRaw(vigil.port);
    const closed = closedWithin(s, 60000);
    s.write("*2147483647\r\n");
    const chunk = Buffer.from("$0\r\n\r\n".repeat(100_000));
    let sent = 0;
    // 300 MB of 6-byte arguments: without per-argument accounting this grew the heap by gigabytes.
    while (sent < 300 * MB && !s.destroyed) {
      if (!s.write(chunk)) await drainOrClose(s);
      sent += chunk.length;
    }
    expect(await closed).toBe(true);
    const peak = rss.stop();
    expect(sent).toBeLessThan(300 * MB);
    expect(peak - before, `peak RSS ${peak / MB} MB, before ${before / MB} MB`).toBeLessThan(200 * MB);
    expect(log()).toContain("exceeded the query buffer limit");
    await expectHealthy();
  });

  it("a 512 MB bulk argument is cut at the query buffer limit, not buffered", async () => {
    const before = rssBytes(pid());
    const rss = sampleRss(pid());
    const s = await connectRaw(vigil.port);
    const closed = closedWithin(s, 60000);
    s.write("*2\r\n$4\r\nPING\r\n$536870912\r\n");
    const chunk = Buffer.alloc(MB, 0x61);
    let sent = 0;
    while (sent < 200 * MB && !s.destroyed) {
      if (!s.write(chunk)) await drainOrClose(s);
      sent += chunk.length;
    }
    expect(await closed).toBe(true);
    const peak = rss.stop();
    expect(peak - before, `peak RSS ${peak / MB} MB, before ${before / MB} MB`).toBeLessThan(250 * MB);
    await expectHealthy();
  });

  it("random bytes and mangled frames (fast-check) never take the daemon down", async () => {
    const before = rssBytes(pid());
    const atoms = ["*", "$", "\r\n", "*3\r\n", "$-1\r\n", "$99\r\n", "*2147483647\r\n", "$536870912\r\n", '"', "'", "\\x", "\0", "PING", "SENTINEL", "MASTERS", "SUBSCRIBE x\r\n", "HELLO 3\r\n", "CLIENT PAUSE 10\r\n"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...atoms.map((a) => new Uint8Array(Buffer.from(a, "latin1"))))), { maxLength: 30 }),
        async (parts) => {
          await rawExchange(vigil.port, Buffer.concat(parts.map((p) => Buffer.from(p))), { timeoutMs: 40 });
        },
      ),
      { numRuns: 150 },
    );
    await expectHealthy();
    expect(rssBytes(pid()) - before).toBeLessThan(100 * MB);
  });
});

describe("many, slow and stubborn clients", () => {
  it("holds 10,000 idle connections while it keeps monitoring and serving", async () => {
    // The idle clients live in a child process (its own descriptor table), connecting in batches
    // so the accept backlog is never overrun.
    const script = `
      const net = require("node:net");
      const socks = [];
      (async () => {
        for (let b = 0; b < 20; b++) {
          await Promise.all(Array.from({ length: 500 }, () => new Promise((resolve) => {
            const s = net.connect(${vigil.port}, "127.0.0.1", resolve);
            s.on("error", (e) => { process.stdout.write("error " + e.code + "\\n"); process.exit(1); });
            socks.push(s);
          })));
        }
        process.stdout.write("ready\\n");
      })();
      process.stdin.on("data", () => process.exit(0));
    `;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
      expect(line).toBe("ready\n");
      await waitFor(async () => Number(/connected_clients:(\d+)/.exec(String(await cmd(vigil.port, "INFO", "clients")))?.[1]) >= 10001, 60000, 200);
      const held = rssBytes(pid());
      console.log(`10,000 idle connections: daemon RSS ${(held / MB).toFixed(0)} MB`);
      expect(held).toBeLessThan(500 * MB);
      // Others are served, and the master is still watched (pings answered, no false SDOWN).
      for (let i = 0; i < 10; i++) expect(await cmd(vigil.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toEqual(["127.0.0.1", String(redis.port)]);
      await sleep(1000);
      await expectHealthy();
      const m = pairs(await cmd(vigil.port, "SENTINEL", "MASTER", "mymaster"));
      expect(Number(m["last-ping-reply"])).toBeLessThan(2000);
    } finally {
      child.stdin.write("x");
      await new Promise((r) => child.once("exit", r));
    }
    await waitFor(async () => Number(/connected_clients:(\d+)/.exec(String(await cmd(vigil.port, "INFO", "clients")))?.[1]) < 10, 30000, 200);
  }, 180_000);

  it("slowloris clients sending one byte every 100 ms delay nobody and are answered correctly", async () => {
    const request = Buffer.from("*3\r\n$8\r\nSENTINEL\r\n$23\r\nGET-MASTER-ADDR-BY-NAME\r\n$8\r\nmymaster\r\n");
    const slow = await Promise.all(Array.from({ length: 20 }, () => connectRaw(vigil.port)));
    const answers = slow.map(
      (s) =>
        new Promise<string>((resolve) => {
          let got = "";
          s.on("data", (d: Buffer) => {
            got += d.toString("latin1");
            if (got.endsWith(`$${String(redis.port).length}\r\n${redis.port}\r\n`)) resolve(got);
          });
        }),
    );
    const trickle = (async () => {
      for (let i = 0; i < request.length; i++) {
        for (const s of slow) s.write(request.subarray(i, i + 1));
        await sleep(100);
      }
    })();
    // Meanwhile a normal client keeps getting prompt answers.
    const latencies: number[] = [];
    const conn = await RespConnection.open(vigil.port);
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const t0 = Date.now();
      expect(await conn.one("PING")).toEqual({ t: "simple", v: "PONG" });
      latencies.push(Date.now() - t0);
      await sleep(50);
    }
    conn.close();
    await trickle;
    for (const a of await Promise.all(answers)) expect(a).toBe(`*2\r\n$9\r\n127.0.0.1\r\n$${String(redis.port).length}\r\n${redis.port}\r\n`);
    for (const s of slow) s.destroy();
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]!, `median PING latency, all: ${latencies.join(",")}`).toBeLessThan(250);
    await expectHealthy();
  }, 60_000);

  it("a client pipelining big replies without reading them is closed at the output buffer limit", async () => {
    const before = rssBytes(pid());
    const rss = sampleRss(pid());
    const hits = outputLimitHits();
    const s = await connectRaw(vigil.port);
    s.pause();
    const closed = closedWithin(s, 60000);
    // 3,000 × COMMAND DOCS ≈ 80 MB of replies against the 32 MB hard limit for normal clients.
    const docs = Buffer.from("*2\r\n$7\r\nCOMMAND\r\n$4\r\nDOCS\r\n");
    for (let i = 0; i < 3000 && !s.destroyed; i++) s.write(docs);
    // A paused socket may not notice the close: watch the server side.
    await waitFor(() => outputLimitHits() > hits, 60000, 100);
    s.resume();
    expect(await closed).toBe(true);
    const peak = rss.stop();
    expect(peak - before, `peak RSS ${peak / MB} MB`).toBeLessThan(200 * MB);
    await expectHealthy();
  }, 90_000);

  it("a subscriber that never reads an event flood is dropped; a reading subscriber gets every event", async () => {
    const before = rssBytes(pid());
    const rss = sampleRss(pid());
    const stubborn = await connectRaw(vigil.port);
    stubborn.write("PSUBSCRIBE *\r\n");
    await new Promise((r) => stubborn.once("data", r));
    stubborn.pause();
    const reader = await RespConnection.open(vigil.port);
    await reader.one("PSUBSCRIBE", "+set");
    const seen: string[] = [];
    reader.onFrame((f) => {
      if (f.t === "array" || f.t === "push") seen.push(String((f.v[3] as { v?: string } | undefined)?.v ?? "").slice(-8));
    });
    // Each `+set ... rename-command FLUSHALL <1 MB>` event is ~1 MB: 60 of them overrun the 32 MB
    // hard limit of Pub/Sub clients (plus whatever the kernel buffers on loopback).
    const admin = await RespConnection.open(vigil.port);
    const tags: string[] = [];
    for (let i = 0; i < 60; i++) {
      const tag = `tag${String(i).padStart(5, "0")}`;
      tags.push(tag);
      expect(await admin.one("SENTINEL", "SET", "mymaster", "rename-command", "FLUSHALL", `${"x".repeat(MB)}${tag}`)).toEqual({ t: "simple", v: "OK" });
    }
    expect(await admin.one("SENTINEL", "SET", "mymaster", "rename-command", "FLUSHALL", "FLUSHALL")).toEqual({ t: "simple", v: "OK" });
    admin.close();
    await waitFor(() => seen.length >= 60, 30000);
    expect(seen.slice(0, 60)).toEqual(tags.map((t) => t.slice(-8)));
    // Only the reading subscriber is left; the stubborn one sees its connection end once it reads.
    await waitFor(async () => String(await cmd(vigil.port, "CLIENT", "LIST", "TYPE", "pubsub")).trim().split("\n").length === 1, 30000, 200);
    stubborn.resume();
    expect(await closedWithin(stubborn, 30000)).toBe(true);
    reader.close();
    const peak = rss.stop();
    expect(peak - before, `peak RSS ${peak / MB} MB`).toBeLessThan(300 * MB);
    await expectHealthy();
  }, 120_000);
});
