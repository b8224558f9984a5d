import { spawn } from "node:child_process";
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk } from "../src/resp/reply.js";
import type { RespServer } from "../src/server/types.js";
import { SENTINEL_LIKE_HANDLERS, type Started, startServer } from "./fixtures/our-server.js";
import { command, RawConnection, rawExchange } from "./fixtures/raw-client.js";

let server: RespServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer({
    handlers: {
      ...SENTINEL_LIKE_HANDLERS,
      // A slow asynchronous handler, to check that pipelined replies keep their order.
      info: async (args) => {
        await new Promise((r) => setTimeout(r, 30));
        return bulk(`info:${args.slice(1).join(",")}`);
      },
    },
  }));
});

afterAll(async () => {
  await server?.close();
});

const text = (r: { bytes: Buffer }): string => r.bytes.toString("latin1");

describe("framing", () => {
  it("serves inline commands, including redis-cli style quoting", async () => {
    expect(text(await rawExchange(port, 'PING "hello world"\r\n', { replies: 1 }))).toBe("$11\r\nhello world\r\n");
    expect(text(await rawExchange(port, "PING\n", { replies: 1 }))).toBe("+PONG\r\n");
  });

  it("answers a pipeline of 1000 commands in order", async () => {
    const payload = Array.from({ length: 1000 }, (_, i) => command("PING", String(i))).reduce((a, b) => Buffer.concat([a, b]));
    const got = text(await rawExchange(port, payload, { replies: 1000 }));
    const expected = Array.from({ length: 1000 }, (_, i) => `$${String(i).length}\r\n${i}\r\n`).join("");
    expect(got).toBe(expected);
  });

  it("reassembles frames split at every byte", async () => {
    const payload = Buffer.concat([command("PING", "split"), Buffer.from("PING inline\r\n")]);
    const chunks = [...payload].map((b) => Buffer.from([b]));
    expect(text(await rawExchange(port, payload, { replies: 2, chunks }))).toBe("$5\r\nsplit\r\n$6\r\ninline\r\n");
  });

  it("keeps request order across a slow asynchronous handler", async () => {
    const payload = Buffer.concat([command("INFO", "a"), command("PING"), command("INFO", "b"), command("PING", "x")]);
    expect(text(await rawExchange(port, payload, { replies: 4 }))).toBe("$6\r\ninfo:a\r\n+PONG\r\n$6\r\ninfo:b\r\n$1\r\nx\r\n");
  });

  it("answers the commands before a protocol error, then the error, then closes", async () => {
    const r = await rawExchange(port, "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$x\r\nPING\r\n");
    expect(text(r)).toBe("+PONG\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    expect(r.closed).toBe(true);
  });

  it("closes on an inline request over 64 KiB", async () => {
    const r = await rawExchange(port, `PING ${"a".repeat(70 * 1024)}`);
    expect(text(r)).toBe("-ERR Protocol error: too big inline request\r\n");
    expect(r.closed).toBe(true);
  });

  it("does not crash on binary junk (UTF-8-invalid names and arguments)", async () => {
    const r = await rawExchange(port, Buffer.concat([command(Buffer.from([0xc3, 0x28]), Buffer.from([0xff])), command("PING")]), { replies: 2 });
    expect(r.bytes.toString("latin1")).toBe("-ERR unknown command '\xc3(', with args beginning with: '\xff' \r\n+PONG\r\n");
  });
});

describe("hostile input", () => {
  it("survives random garbage and keeps serving (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 200 }),
            fc.constantFrom(...["*", "$", "\r\n", "*3\r\n", "$-1\r\n", "$99\r\n", '"', "'", "PING", "SUBSCRIBE x\r\n", "CLIENT KILL TYPE normal\r\n", "HELLO 3\r\n"].map((s) => new Uint8Array(Buffer.from(s)))),
          ),
          { maxLength: 20 },
        ),
        async (parts) => {
          await rawExchange(port, Buffer.concat(parts.map((p) => Buffer.from(p))), { timeoutMs: 50 });
        },
      ),
      { numRuns: 60 },
    );
    expect(text(await rawExchange(port, "PING\r\n", { replies: 1 }))).toBe("+PONG\r\n");
  });
});

describe("limits", () => {
  let limited: Started;
  beforeAll(async () => {
    limited = await startServer({
      maxClients: 3,
      queryBufferLimit: 1024 * 1024,
      outputBufferLimits: {
        normal: { hardBytes: 512 * 1024, softBytes: 0, softSeconds: 0 },
        pubsub: { hardBytes: 512 * 1024, softBytes: 0, softSeconds: 0 },
      },
    });
  });
  afterAll(async () => {
    await limited?.server.close();
  });

  it("defaults to maxclients 10000", async () => {
    expect(server.stats().maxClients).toBe(10000);
  });

  it("refuses clients beyond maxclients with Redis's error", async () => {
    const held = await Promise.all([RawConnection.open(limited.port), RawConnection.open(limited.port), RawConnection.open(limited.port)]);
    try {
      await held[2]!.send("PING\r\n");
      const r = await rawExchange(limited.port, "PING\r\n");
      expect(text(r)).toBe("-ERR max number of clients reached\r\n");
      expect(r.closed).toBe(true);
      expect(limited.server.stats().rejectedConnections).toBeGreaterThanOrEqual(1);
    } finally {
      for (const c of held) c.close();
    }
    await new Promise((r) => setTimeout(r, 50));
  });

  it("closes a client whose pending request exceeds the query buffer limit", async () => {
    const r = await rawExchange(limited.port, Buffer.concat([Buffer.from("*2\r\n$4\r\nPING\r\n$2000000\r\n"), Buffer.alloc(1_200_000, 0x61)]));
    expect(r.bytes.length).toBe(0);
    expect(r.closed).toBe(true);
  });

  /** A paused socket never sees the server's FIN, so watch the server side instead. */
  async function waitUntilNoClients(): Promise<void> {
    for (let i = 0; i < 500 && limited.server.stats().connectedClients > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(limited.server.stats().connectedClients).toBe(0);
  }

  it("closes a normal client that does not read its replies", async () => {
    const errors = limited.errors.length;
    const socket = net.connect(limited.port, "127.0.0.1");
    socket.pause();
    socket.on("error", () => undefined);
    await new Promise((r) => socket.once("connect", r));
    const docs = command("COMMAND", "DOCS");
    for (let i = 0; i < 2000; i++) socket.write(docs);
    await waitUntilNoClients();
    expect(String(limited.errors.slice(errors))).toContain("output buffer limits");
    socket.destroy();
  });

  it("closes a subscriber that does not read published messages", async () => {
    const socket = net.connect(limited.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.on("error", () => undefined);
    socket.write("SUBSCRIBE flood\r\n");
    await new Promise((r) => socket.once("data", r));
    socket.pause();
    const big = Buffer.alloc(64 * 1024, 0x62);
    let delivered = 0;
    for (let i = 0; i < 2000 && limited.server.publish("flood", big) > 0; i++) {
      delivered++;
      await new Promise((r) => setImmediate(r));
    }
    await waitUntilNoClients();
    // Far fewer than 2000 × 64 KiB were buffered before the 512 KiB limit struck.
    expect(delivered).toBeLessThan(2000);
    expect(limited.server.publish("flood", "x")).toBe(0);
    socket.destroy();
  });
});

describe("many connections", () => {
  it("holds 10,000 idle connections and keeps answering", async () => {
    const { createRespServer } = await import("../src/server/resp-server.js");
    // Room for the 10,000 idle clients plus the one that checks the server still answers.
    const server10k = createRespServer({ maxClients: 10001 });
    const bigPort = await server10k.listen({ port: 0, backlog: 4096 });
    const big = { server: server10k, port: bigPort };
    // The clients live in a child process so that neither process needs 20,000 descriptors.
    // They connect in batches: a SYN flood beyond the accept backlog would make the kernel drop
    // handshakes, which is a property of TCP, not of this server.
    const script = `
      const net = require("node:net");
      const socks = [];
      let open = 0;
      (async () => {
        for (let b = 0; b < 20; b++) {
          const batch = [];
          for (let i = 0; i < 500; i++) {
            batch.push(new Promise((resolve) => {
              const s = net.connect(${bigPort}, "127.0.0.1", () => { open++; resolve(); });
              s.on("error", (e) => { process.stdout.write("error " + e.code + "\\n"); process.exit(1); });
              socks.push(s);
            }));
          }
          await Promise.all(batch);
        }
        process.stdout.write(open === 10000 ? "ready\\n" : "only " + open + "\\n");
      })();
      process.stdin.on("data", () => process.exit(0));
    `;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
      expect(line).toBe("ready\n");
      for (let i = 0; i < 1000 && big.server.stats().connectedClients < 10000; i++) await new Promise((r) => setTimeout(r, 20));
      expect(big.server.stats().connectedClients).toBe(10000);
      const held = await RawConnection.open(big.port);
      expect((await held.send("PING\r\n")).toString()).toBe("+PONG\r\n");
      // ...and the next one is over the limit.
      expect(text(await rawExchange(big.port, "PING\r\n"))).toBe("-ERR max number of clients reached\r\n");
      held.close();
      expect(big.server.stats().totalConnectionsReceived).toBe(10001);
      expect(big.server.stats().rejectedConnections).toBe(1);
    } finally {
      child.stdin.write("x");
      await new Promise((r) => child.once("exit", r));
      await big.server.close();
    }
  }, 60_000);
});
