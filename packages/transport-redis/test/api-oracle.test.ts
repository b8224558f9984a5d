// Differential tests: the same commands against Debian's real `redis-sentinel` 7.0.15 and against
// the Vigil API (over a real engine configured like the oracle), compared byte for byte in RESP2 and
// RESP3. The oracle must be installed: a missing binary fails the suite, it is never skipped.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeReply } from "../src/resp/encoder.js";
import { type Reply, simple } from "../src/resp/reply.js";
import { apiFixture, type FixtureOptions } from "./api-support.js";
import { decodeAllReplies, replyFrameLength } from "./fixtures/reply-decoder.js";

const REDIS_SENTINEL = process.env.VIGIL_REDIS_SENTINEL ?? "/usr/bin/redis-sentinel";

interface Oracle {
  readonly port: number;
  readonly deadPorts: readonly [number, number];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** Starts `redis-sentinel` monitoring two masters on ports nothing listens on. */
async function startOracle(extra: readonly string[]): Promise<Oracle> {
  if (!existsSync(REDIS_SENTINEL)) {
    throw new Error(`redis-sentinel not found at ${REDIS_SENTINEL}: install Debian's redis-sentinel (the conformance oracle) or set VIGIL_REDIS_SENTINEL`);
  }
  const port = await freePort();
  const dead: [number, number] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), "vigil-api-oracle-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      ...extra,
      `sentinel monitor mymaster 127.0.0.1 ${dead[0]} 2`,
      "sentinel down-after-milliseconds mymaster 60000",
      `sentinel monitor m 127.0.0.1 ${dead[1]} 1`,
      "sentinel down-after-milliseconds m 60000",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(REDIS_SENTINEL, [conf], { stdio: "ignore" });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (let i = 0; i < 200 && !exited; i++) {
    if (await canConnect(port)) {
      return {
        port,
        deadPorts: dead,
        stop: async () => {
          if (!exited) {
            const gone = new Promise((r) => child.once("exit", r));
            child.kill("SIGKILL");
            await gone;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-sentinel did not start on port ${port}`);
}

function encodeCommand(argv: readonly string[]): Buffer {
  return Buffer.concat([
    Buffer.from(`*${argv.length}\r\n`),
    ...argv.map((a) => Buffer.concat([Buffer.from(`$${Buffer.byteLength(a)}\r\n`), Buffer.from(a), Buffer.from("\r\n")])),
  ]);
}

/** Sends the commands pipelined on one connection; returns each reply's raw bytes. */
function exchange(port: number, commands: readonly (readonly string[])[], protocol: 2 | 3): Promise<Buffer[]> {
  const all = protocol === 3 ? [["HELLO", "3"], ...commands] : commands;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let bytes = Buffer.alloc(0);
    const frames: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`oracle answered ${frames.length} of ${all.length} commands`));
    }, 10_000);
    socket.on("error", reject);
    socket.on("data", (d: Buffer) => {
      bytes = Buffer.concat([bytes, d]);
      for (let n = replyFrameLength(bytes); n !== undefined; n = replyFrameLength(bytes)) {
        frames.push(bytes.subarray(0, n));
        bytes = bytes.subarray(n);
      }
      if (frames.length >= all.length) {
        clearTimeout(timer);
        socket.destroy();
        resolve(protocol === 3 ? frames.slice(1) : frames);
      }
    });
    socket.on("connect", () => socket.write(Buffer.concat(all.map(encodeCommand))));
  });
}

function decode(frame: Buffer): Reply {
  return decodeAllReplies(frame)[0]!;
}

/** The same two masters as the oracle, in a Vigil engine with Sentinel's timing. */
function vigil(oracle: Oracle, global: FixtureOptions["global"] = {}) {
  return apiFixture({
    primaryAliases: false,
    global,
    executable: (p) => existsSync(p),
    masters: [
      { settings: { name: "mymaster", host: "127.0.0.1", port: oracle.deadPorts[0], quorum: 2, downAfterMs: 60000 } },
      { settings: { name: "m", host: "127.0.0.1", port: oracle.deadPorts[1], quorum: 1, downAfterMs: 60000 } },
    ],
  });
}

/** Runs `argv` on Vigil the way the RESP server would route it. */
function vigilCall(f: ReturnType<typeof apiFixture>, argv: readonly string[]): Reply {
  const name = argv[0]!.toLowerCase();
  if (name === "sentinel") return f.api.sentinel(argv);
  if (name === "info") return f.api.info(argv);
  if (name === "role") return f.api.role(argv);
  if (name === "publish") return f.api.publish(argv);
  throw new Error(`not an API command: ${name}`);
}

const s = (...a: string[]) => ["SENTINEL", ...a];

/** Commands whose replies do not depend on time or hash order. */
const DETERMINISTIC: string[][] = [
  s("help"),
  s("HELP", "x"),
  ["SENTINEL"],
  s("foo"),
  s("foo", "bar"),
  s("x".repeat(200)),
  s("primary", "mymaster"),
  s("masters", "x"),
  s("master"),
  s("master", "a", "b"),
  s("replicas"),
  s("slaves"),
  s("sentinels"),
  s("get-master-addr-by-name"),
  s("reset"),
  s("failover"),
  s("ckquorum"),
  s("flushconfig", "x"),
  s("monitor", "a", "b", "c"),
  s("remove"),
  s("set", "a", "b"),
  s("config"),
  s("is-master-down-by-addr", "a", "b", "c"),
  s("info-cache"),
  s("simulate-failure"),
  s("myid", "x"),
  s("pending-scripts", "x"),
  s("master", "nosuch"),
  s("replicas", "nosuch"),
  s("slaves", "nosuch"),
  s("sentinels", "nosuch"),
  s("ckquorum", "nosuch"),
  s("failover", "nosuch"),
  s("remove", "nosuch"),
  s("set", "nosuch", "quorum", "2"),
  s("get-master-addr-by-name", "nosuch"),
  s("get-master-addr-by-name", "mymaster"),
  s("GET-MASTER-ADDR-BY-NAME", "m"),
  s("ckquorum", "mymaster"),
  s("ckquorum", "m"),
  s("failover", "m"),
  s("replicas", "m"),
  s("sentinels", "m"),
  s("config", "get", "*"),
  s("config", "GET", "ANNOUNCE*"),
  s("config", "get", "loglevel"),
  s("config", "get", ""),
  s("config", "foo"),
  s("config", "foo", "bar"),
  s("config", "get"),
  s("config", "get", "a", "b"),
  s("config", "set", "a"),
  s("config", "set", "announce-port", "1", "announce-ip", "x"),
  s("config", "set", "foo", "bar"),
  s("config", "set", "loglevel", "verbose"),
  s("config", "set", "deny-scripts-reconfig", "no"),
  s("config", "set", "Announce-Port", "abc"),
  s("config", "set", "announce-port", "70000"),
  s("config", "set", "announce-port", "-1"),
  s("config", "set", "announce-port", "+5"),
  s("config", "set", "resolve-hostnames", "maybe"),
  s("debug"),
  s("debug", "foo"),
  s("debug", "info-period"),
  s("debug", "info-period", "0"),
  s("debug", "INFO-PERIOD", "abc"),
  s("debug", "ping-period", "1000", "ask-period", "-5"),
  s("debug", "ping-period", "1000", "publish-period"),
  s("debug", "ping-period", "1000"),
  s("debug"),
  s("simulate-failure", "help"),
  s("simulate-failure", "HELP", "crash-after-election"),
  s("simulate-failure", "foo"),
  s("simulate-failure", "crash-after-election", "foo"),
  s("simulate-failure", "crash-after-election", "CRASH-AFTER-PROMOTION"),
  s("simulate-failure", "help"),
  s("is-master-down-by-addr", "127.0.0.1", "abc", "0", "*"),
  s("is-master-down-by-addr", "127.0.0.1", "6379", "abc", "*"),
  s("is-master-down-by-addr", "127.0.0.1", "6379", "9223372036854775808", "*"),
  s("is-master-down-by-addr", "127.0.0.1", "99999999", "1", "*"),
  s("is-master-down-by-addr", "10.9.9.9", "6379", "0", "*"),
  s("info-cache", "nosuch"),
  s("info-cache", "nosuch", "nosuch2"),
  s("pending-scripts"),
  s("monitor", "x1", "127.0.0.1", "6999", "abc"),
  s("monitor", "x1", "127.0.0.1", "abc", "0"),
  s("monitor", "x1", "127.0.0.1", "abc", "abc"),
  s("monitor", "x1", "127.0.0.1", "06999", "1"),
  s("monitor", "x1", "127.0.0.1", "6999", "01"),
  s("monitor", "x1", "127.0.0.1", "6999", "0"),
  s("monitor", "x1", "127.0.0.1", "6999", "-1"),
  s("monitor", "x1", "notahost", "6999", "1"),
  s("monitor", "x1", "localhost", "6999", "1"),
  s("monitor", "x1", " 127.0.0.1", "6999", "1"),
  s("monitor", "x1", "", "6999", "1"),
  s("monitor", "mymaster", "127.0.0.1", "6999", "1"),
  s("monitor", "mymaster", "127.0.0.1", "70000", "1"),
  s("monitor", "x1", "127.0.0.1", "-1", "1"),
  s("set", "mymaster", "quorum", "0"),
  s("set", "mymaster", "quorum", "abc"),
  s("set", "mymaster", "quorum", "99999999999999999999"),
  s("set", "mymaster", "foo", "1"),
  s("set", "mymaster", "down-after-milliseconds", "0"),
  s("set", "mymaster", "failover-timeout", "-1"),
  s("set", "mymaster", "parallel-syncs", "0"),
  s("set", "mymaster", "master-reboot-down-after-period", "-1"),
  s("set", "mymaster", "notification-script", "/bin/true"),
  s("set", "mymaster", "client-reconfig-script", ""),
  s("set", "mymaster", "rename-command", "config", ""),
  s("set", "mymaster", "rename-command", "", "foo"),
  s("set", "mymaster", "rename-command", "config"),
  s("set", "mymaster", "a\nb", "1"),
  s("debug", "a\r\nb"),
  s("reset", "M*"),
  s("reset", "nomatch"),
  ["PUBLISH", "foo", "bar"],
  ["PUBLISH", "__SENTINEL__:HELLO", "bar"],
  ["PUBLISH", "__sentinel__:hello", "garbage"],
  ["PUBLISH", "a"],
  ["ROLE", "x"],
  ["INFO", "foo"],
  ["INFO", "replication", "memory"],
];

/** Commands that change state in the same way on both sides; replies must still match. */
const MUTATIONS = (dead: number): string[][] => [
  s("monitor", "x1", "127.1", String(dead), "1"),
  s("monitor", "x1", "127.0.0.1", String(dead), "1"),
  s("get-master-addr-by-name", "x1"),
  s("monitor", "x2", "0:0:0:0:0:0:0:1", String(dead), "2"),
  s("get-master-addr-by-name", "x2"),
  s("monitor", "x3", "127.0.0.1", "4294967296", "1"),
  s("get-master-addr-by-name", "x3"),
  s("set", "x1", "QUORUM", "3", "down-after-milliseconds", "70000", "failover-timeout", "90000", "parallel-syncs", "2"),
  s("set", "x1", "quorum", "2", "parallel-syncs"),
  s("set", "x1", "quorum", "4294967298"),
  s("set", "x1", "rename-command", "config", "cfg", "auth-pass", "p", "auth-user", "u"),
  s("set", "x1", "auth-pass", "", "auth-user", "", "master-reboot-down-after-period", "0"),
  s("ckquorum", "x1"),
  s("info-cache", "x1", "x1"),
  s("config", "set", "announce-port", "65535"),
  s("config", "set", "ANNOUNCE-HOSTNAMES", "yes"),
  s("config", "set", "announce-ip", "10.0.0.9"),
  s("config", "set", "sentinel-user", "u"),
  s("config", "set", "sentinel-pass", "p"),
  s("config", "get", "*"),
  s("config", "set", "announce-port", "0"),
  s("config", "set", "announce-hostnames", "no"),
  s("config", "set", "announce-ip", ""),
  s("config", "set", "sentinel-user", ""),
  s("config", "set", "sentinel-pass", ""),
  s("config", "get", "*"),
  s("reset", "x*"),
  s("reset", "x[0-9]"),
  s("reset", "x\\1"),
  s("flushconfig"),
  s("remove", "x1"),
  s("remove", "x2"),
  s("remove", "x3"),
  s("remove", "x1"),
  s("failover", "x1"),
  s("debug", "info-period", "10000", "default-down-after", "30000"),
];

function compareAll(f: ReturnType<typeof apiFixture>, commands: readonly string[][], oracle2: Buffer[], oracle3: Buffer[] | null, protocolOfVigil: 2 | 3 = 2) {
  const mismatches: string[] = [];
  expect((protocolOfVigil === 2 ? oracle2 : oracle3!).length).toBe(commands.length);
  commands.forEach((argv, i) => {
    const ours = encodeReply(vigilCall(f, argv), protocolOfVigil);
    const theirs = (protocolOfVigil === 2 ? oracle2 : oracle3!)[i]!;
    if (!ours.equals(theirs)) mismatches.push(`${JSON.stringify(argv)}\n  redis-sentinel: ${JSON.stringify(theirs.toString())}\n  vigil:          ${JSON.stringify(ours.toString())}`);
  });
  expect(mismatches.join("\n")).toBe("");
}

describe("differential against redis-sentinel 7.0.15", () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await startOracle([]);
  });
  afterAll(async () => {
    await oracle?.stop();
  });

  it("error texts, HELP, CONFIG, DEBUG, SIMULATE-FAILURE, CKQUORUM ... match byte for byte (RESP2 and RESP3)", async () => {
    for (const protocol of [2, 3] as const) {
      const theirs = await exchange(oracle.port, DETERMINISTIC, protocol);
      const f = vigil(oracle);
      compareAll(f, DETERMINISTIC, protocol === 2 ? theirs : [], protocol === 3 ? theirs : null, protocol);
    }
  });

  it("a sequence of mutations gives the same replies", async () => {
    const dead = await freePort();
    const commands = MUTATIONS(dead);
    for (const protocol of [2, 3] as const) {
      const theirs = await exchange(oracle.port, commands, protocol);
      const f = vigil(oracle);
      compareAll(f, commands, protocol === 2 ? theirs : [], protocol === 3 ? theirs : null, protocol);
    }
  });

  it("instance maps have the same fields and static values", async () => {
    const [theirs] = await exchange(oracle.port, [s("master", "mymaster")], 2);
    const f = vigil(oracle);
    const ours = encodeReply(f.sentinel("master", "mymaster"), 2);
    const asPairs = (frame: Buffer) => {
      const r = decode(frame);
      if (r.kind !== "array") throw new Error("expected an array");
      const out: [string, string][] = [];
      for (let i = 0; i < r.items.length; i += 2) out.push([String((r.items[i] as { value: unknown }).value), String((r.items[i + 1] as { value: unknown }).value)]);
      return out;
    };
    const o = asPairs(theirs!);
    const v = asPairs(ours);
    expect(v.map(([k]) => k)).toEqual(o.map(([k]) => k));
    const STATIC = ["name", "ip", "port", "runid", "flags", "link-refcount", "down-after-milliseconds", "info-refresh", "role-reported", "config-epoch", "num-slaves", "num-other-sentinels", "quorum", "failover-timeout", "parallel-syncs"];
    expect(Object.fromEntries(v.filter(([k]) => STATIC.includes(k)))).toEqual(Object.fromEntries(o.filter(([k]) => STATIC.includes(k))));
  });

  it("INFO has the same sections and field names; the Sentinel section has the same lines", async () => {
    const [all, sentinel] = await exchange(oracle.port, [["INFO"], ["INFO", "sentinel"]], 2);
    const f = vigil(oracle);
    const fields = (frame: Buffer | Reply) => {
      const r = frame instanceof Buffer ? decode(frame) : frame;
      const lines = String((r as { value: unknown }).value).split("\r\n");
      return lines.map((l) => (l.startsWith("#") || l === "" ? l : l.slice(0, l.indexOf(":"))));
    };
    expect(fields(f.api.info(["INFO"]))).toEqual(fields(all!));
    // Masters are listed in hash order by C: compare the lines without their index.
    const lines = (r: Reply) =>
      String((r as { value: unknown }).value)
        .split("\r\n")
        .map((l) => l.replace(/^master\d+:/, "master:"))
        .sort();
    expect(lines(f.api.info(["INFO", "sentinel"]))).toEqual(lines(decode(sentinel!)));
  });

  it("ROLE lists the same masters (order is hash order in C)", async () => {
    const [theirs] = await exchange(oracle.port, [["ROLE"]], 2);
    const f = vigil(oracle);
    const names = (r: Reply) => {
      if (r.kind !== "array" || r.items[1]?.kind !== "array") throw new Error("bad ROLE");
      return [String((r.items[0] as { value: unknown }).value), r.items[1].items.map((x) => String((x as { value: unknown }).value)).sort()];
    };
    expect(names(f.api.role(["ROLE"]))).toEqual(names(decode(theirs!)));
  });

  it("glob patterns select the same parameters (CONFIG GET, nocase) and masters (RESET, case-sensitive)", async () => {
    const names = ["x-a", "X-b", "x[1]", "x*", "xé", "x\\y"];
    const dead = await freePort();
    const setup = names.map((n) => s("monitor", n, "127.0.0.1", String(dead), "1"));
    const alphabet = fc.constantFrom("x", "X", "-", "a", "b", "*", "?", "[", "]", "^", "\\", "1", "é", "n", "o", "p");
    const patterns = fc.sample(fc.array(alphabet, { minLength: 0, maxLength: 7 }).map((a) => a.join("")), { numRuns: 400, seed: 20240607 });
    const queries = patterns.flatMap((p) => [s("config", "get", p), s("reset", p)]);
    const commands = [...setup, ...queries, ...names.map((n) => s("remove", n))];
    const theirs = await exchange(oracle.port, commands, 2);
    const f = vigil(oracle);
    compareAll(f, commands, theirs, null, 2);
  });
});

describe("differential with deny-scripts-reconfig no", () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await startOracle(["sentinel deny-scripts-reconfig no"]);
  });
  afterAll(async () => {
    await oracle?.stop();
  });

  it("script path checks match", async () => {
    const commands = [
      s("set", "mymaster", "notification-script", "/nonexistent/script.sh"),
      s("set", "mymaster", "client-reconfig-script", "/nonexistent/script.sh"),
      s("set", "mymaster", "notification-script", "/bin/true", "client-reconfig-script", "/bin/true"),
      s("set", "mymaster", "notification-script", "", "client-reconfig-script", ""),
    ];
    const theirs = await exchange(oracle.port, commands, 2);
    const f = vigil(oracle, { denyScriptsReconfig: false });
    compareAll(f, commands, theirs, null, 2);
    expect(decode(theirs[2]!)).toEqual(simple("OK"));
  });
});
