// createSentinel against a real redis-server: the embedding API's lifecycle, events, errors and types.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createSentinel, memoryStore, type NetworkFactory, NoSuchMasterError, PersistError, type Sentinel, SentinelStateError, type TypedSentinelEvent } from "../src/index.js";
import { recordingNetwork } from "./api-support.js";
import { command, rawExchange } from "./fixtures/raw-client.js";
import { decodeAllReplies } from "./fixtures/reply-decoder.js";

const dir = mkdtempSync(join(tmpdir(), "vigil-embed-"));
const procs: ChildProcess[] = [];
let sentinel: Sentinel | undefined;

afterEach(async () => {
  await sentinel?.close();
  sentinel = undefined;
});
afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startRedis(): Promise<number> {
  const port = await freePort();
  const p = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  procs.push(p);
  await new Promise<void>((resolve, reject) => {
    p.once("error", (e) => reject(new Error(`redis-server is required for this test: ${e.message}`)));
    const t = setInterval(() => {
      const s = connect(port, "127.0.0.1", () => {
        s.destroy();
        clearInterval(t);
        resolve();
      });
      s.on("error", () => s.destroy());
    }, 50);
  });
  return port;
}

const until = async (f: () => boolean, ms = 10000) => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("createSentinel", () => {
  it("starts, reports the master, emits typed events to listeners and iterators, and closes once for all", async () => {
    const redisPort = await startRedis();
    const port = await freePort();
    const store = join(dir, "a.json");
    sentinel = createSentinel({ masters: [{ name: "mymaster", host: "127.0.0.1", port: redisPort, quorum: 1 }], store, port });
    const seen: TypedSentinelEvent[] = [];
    sentinel.on("*", (e) => seen.push(e));
    const monitor = sentinel.once("+monitor");
    const iterated: string[] = [];
    const iterating = (async () => {
      for await (const e of sentinel!.events()) iterated.push(e.type);
    })();
    await sentinel.start();
    expect((await monitor).instance).toMatchObject({ role: "master", name: "mymaster", port: redisPort });
    expect(sentinel.master("mymaster")).toEqual({ host: "127.0.0.1", port: redisPort });
    expect(sentinel.master("nope")).toBeNull();
    expect(sentinel.explain("mymaster").master).toBe("mymaster");
    expect(() => sentinel!.explain("nope")).toThrow(NoSuchMasterError);
    const plan = await sentinel.failover("mymaster", { dryRun: true });
    expect(plan).toMatchObject({ master: "mymaster", possible: false });
    await expect(sentinel.failover("nope")).rejects.toBeInstanceOf(NoSuchMasterError);
    await expect(sentinel.start()).rejects.toBeInstanceOf(SentinelStateError);
    await until(() => seen.length > 0 && iterated.length >= seen.length);

    const before = process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "TCPServerWrap" || r === "Timeout").length;
    await Promise.all([sentinel.close(), sentinel.close()]);
    await sentinel.close();
    await iterating; // the iterator ended with the sentinel
    const after = process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "TCPServerWrap" || r === "Timeout").length;
    expect(after).toBeLessThan(before);
    // The API port is free again.
    const s = createServer();
    await new Promise<void>((r, j) => s.once("error", j).listen(port, "127.0.0.1", r));
    await new Promise((r) => s.close(r));
  });

  it("rejects start() with PersistError when the store cannot write its first state, instead of answering false", async () => {
    const redisPort = await startRedis();
    const errors: Error[] = [];
    sentinel = createSentinel({
      masters: [{ name: "mymaster", host: "127.0.0.1", port: redisPort, quorum: 1 }],
      store: {
        load: () => undefined,
        save: () => {
          throw new Error("disk full");
        },
      },
      serve: false,
    });
    sentinel.on("error", (e) => errors.push(e));
    const started = sentinel.start();
    await expect(started).rejects.toBeInstanceOf(PersistError);
    await expect(started).rejects.toThrow(/disk full/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PersistError);
  });

  it("runs on a transport of your own: every network command goes through it", async () => {
    const MASTER_INFO = "# Server\r\nrun_id:0123456789abcdef0123456789abcdef01234567\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
    const kinds: string[] = [];
    const network: NetworkFactory = ({ deliver, now }) => {
      // A fake network where the master answers everything, a little later (never inside the call).
      const later = (input: Parameters<typeof deliver>[0]) => setTimeout(() => deliver(input), 1);
      const record = (c: { kind: string }) => void kinds.push(c.kind);
      return recordingNetwork(record, {
        connect: (c) => (record(c), later({ kind: "link-up", now: now(), addr: c.addr, link: c.link, localHost: "127.0.0.1" })),
        ping: (c) => (record(c), later({ kind: "ping-reply", now: now(), addr: c.addr, reply: "PONG" })),
        info: (c) => (record(c), later({ kind: "info-reply", now: now(), addr: c.addr, text: MASTER_INFO })),
        publishHello: (c) => (record(c), later({ kind: "publish-reply", now: now(), addr: c.addr, ok: true })),
      });
    };
    sentinel = createSentinel({ masters: [{ name: "mymaster", host: "10.9.9.9", port: 6379, quorum: 1 }], store: memoryStore(), serve: false, transport: network });
    await sentinel.start();
    await until(() => kinds.includes("publish-hello"));
    expect(kinds).toEqual(expect.arrayContaining(["connect", "ping", "info", "publish-hello"]));
    expect(sentinel.explain("mymaster").down.sdown).toBe(false);
  });

  it("serves the API as the chosen dialect (serve.dialect)", async () => {
    const redisPort = await startRedis();
    const port = await freePort();
    sentinel = createSentinel({ masters: [{ name: "mymaster", host: "127.0.0.1", port: redisPort, quorum: 1 }], store: join(dir, "v.json"), port, serve: { dialect: "valkey-8" } });
    await sentinel.start();
    const [primary, hello] = decodeAllReplies((await rawExchange(port, Buffer.concat([command("SENTINEL", "GET-PRIMARY-ADDR-BY-NAME", "mymaster"), command("HELLO", "3")]), { replies: 2 })).bytes);
    expect(primary).toEqual({ kind: "array", items: [{ kind: "bulk", value: "127.0.0.1" }, { kind: "bulk", value: String(redisPort) }] });
    expect(hello?.kind === "map" && hello.entries.slice(0, 2).map(([k, v]) => `${(k as { value: string }).value}=${(v as { value: string }).value}`)).toEqual(["server=valkey", "version=8.0.1"]);
  });

  it("types its events: a misspelt name does not compile", () => {
    const require = createRequire(import.meta.url);
    const tsc = require.resolve("typescript/bin/tsc");
    const config = join(dir, "tsconfig.json");
    const fixture = join(import.meta.dirname, "fixtures/typed-events.fixture.ts");
    writeFileSync(config, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", lib: ["ES2023", "DOM"], types: ["node"], skipLibCheck: true, typeRoots: [join(import.meta.dirname, "../../../node_modules/@types")] }, files: [fixture] }));
    const out = (() => {
      try {
        return execFileSync(process.execPath, [tsc, "-p", config], { encoding: "utf8", cwd: import.meta.dirname });
      } catch (e) {
        return String((e as { stdout?: string }).stdout);
      }
    })();
    expect(out).toBe("");
  }, 120_000);
});
