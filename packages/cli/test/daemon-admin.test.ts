/**
 * Administration of running Vigil daemons with real processes on 127.0.0.1: three daemons watch one
 * master with one replica. `SENTINEL` INFO/CKQUORUM/CONFIG/MONITOR/REMOVE/RESET/SET/FLUSHCONFIG
 * answers and their effect on the config file, signals, and the start-up refusals (config error,
 * unwritable file), checked against the real `redis-sentinel` where the text is Sentinel's.
 * The tests share the cluster and run in order; each leaves it as it found it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  type Cluster,
  cleanup,
  cmd,
  dumpLogs,
  freePort,
  pairs,
  readText,
  requireBinary,
  startCluster,
  startRedis,
  startSentinel,
  subscribeEvents,
  tempDir,
  VIGIL_BIN,
  waitDiscovered,
  waitFor,
} from "./support/processes.js";

let c: Cluster;
let masterAddr: string;

beforeAll(async () => {
  requireBinary("redis-server");
  requireBinary("redis-sentinel");
  c = await startCluster({ replicas: 1, sentinels: 3, downAfter: 1000, quorum: 2 });
  masterAddr = `127.0.0.1:${c.redis[0]!.port}`;
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

/** The reply, or the error text for an error reply. */
async function reply(port: number, ...args: (string | number)[]): Promise<unknown> {
  try {
    return await cmd(port, ...args);
  } catch (e) {
    return `ERROR ${(e as Error).message}`;
  }
}

/** Send commands in one pipeline (one write); their replies in order. */
async function pipeline(port: number, commands: string[][]): Promise<unknown[]> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableReadyCheck: false });
  r.on("error", () => {});
  try {
    await r.connect();
    const p = r.pipeline();
    for (const [name, ...args] of commands) p.call(name!, ...args);
    const results = (await p.exec()) ?? [];
    return results.map(([err, v]) => (err ? `ERROR ${err.message}` : v));
  } finally {
    r.disconnect();
  }
}

/** Run a daemon binary until it exits (or `timeoutMs` passes); exit code and all its output. */
function runToExit(bin: "vigil" | "redis-sentinel", conf: string, opts: { uid?: number; gid?: number; timeoutMs?: number } = {}): Promise<{ code: number | null; output: string }> {
  const child: ChildProcess =
    bin === "vigil"
      ? spawn(process.execPath, [VIGIL_BIN, conf], { stdio: ["ignore", "pipe", "pipe"], uid: opts.uid, gid: opts.gid })
      : spawn(requireBinary("redis-sentinel"), [conf], { stdio: ["ignore", "pipe", "pipe"], uid: opts.uid, gid: opts.gid });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      ok({ code, output });
    });
  });
}

it("INFO sentinel and CKQUORUM describe the healthy cluster", async () => {
  for (const s of c.sentinels) {
    const info = String(await cmd(s.port, "INFO", "sentinel"));
    expect(info).toContain("# Sentinel\r\n");
    expect(info).toContain("sentinel_masters:1\r\n");
    // 0 normally; a daemon starved of CPU for over 2 s (tilt-trigger) is rightly in TILT.
    expect(info).toMatch(/\r\nsentinel_tilt:[01]\r\n/);
    expect(info).toContain(`master0:name=mymaster,status=ok,address=${masterAddr},slaves=1,sentinels=3\r\n`);
    expect(await cmd(s.port, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
  }
  expect(await reply(c.sentinels[0]!.port, "SENTINEL", "CKQUORUM", "nosuch")).toBe("ERROR ERR No such master with that name");
});

it("CONFIG GET/SET reads and changes global parameters and persists them (7.0 forms)", async () => {
  const s = c.sentinels[0]!;
  expect(pairs(await cmd(s.port, "SENTINEL", "CONFIG", "GET", "*"))).toEqual({
    "resolve-hostnames": "no",
    "announce-hostnames": "no",
    "announce-ip": "",
    "announce-port": "0",
    "sentinel-user": "",
    "sentinel-pass": "",
  });
  expect(await cmd(s.port, "SENTINEL", "CONFIG", "SET", "resolve-hostnames", "yes")).toBe("OK");
  expect(await cmd(s.port, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "yes")).toBe("OK");
  expect(pairs(await cmd(s.port, "SENTINEL", "CONFIG", "GET", "*-hostnames"))).toEqual({ "resolve-hostnames": "yes", "announce-hostnames": "yes" });
  const text = readText(c.confs[0]!);
  expect(text).toMatch(/^sentinel resolve-hostnames yes$/m);
  expect(text).toMatch(/^sentinel announce-hostnames yes$/m);
  // Redis 7.0.15's texts (one pair per call; loglevel is not a sentinel parameter there).
  expect(await reply(s.port, "SENTINEL", "CONFIG", "SET", "nosuch", "1")).toBe("ERROR ERR Invalid argument 'nosuch' to SENTINEL CONFIG SET");
  expect(await reply(s.port, "SENTINEL", "CONFIG", "SET", "loglevel", "verbose")).toBe("ERROR ERR Invalid argument 'loglevel' to SENTINEL CONFIG SET");
  expect(await reply(s.port, "SENTINEL", "CONFIG", "SET", "announce-port", "99999")).toBe("ERROR ERR Invalid value '99999' to SENTINEL CONFIG SET 'announce-port'");
  expect(await reply(s.port, "SENTINEL", "CONFIG", "SET", "resolve-hostnames", "no", "announce-hostnames", "no")).toBe(
    "ERROR ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.",
  );
  expect(await cmd(s.port, "SENTINEL", "CONFIG", "SET", "resolve-hostnames", "no")).toBe("OK");
  expect(await cmd(s.port, "SENTINEL", "CONFIG", "SET", "announce-hostnames", "no")).toBe("OK");
  expect(readText(c.confs[0]!)).toMatch(/^sentinel resolve-hostnames no$/m);
});

it("MONITOR adds a second master (persisted, peers discovered), REMOVE drops it", async () => {
  const other = await startRedis(await freePort());
  const events: string[] = [];
  const sub = await subscribeEvents(c.sentinels[0]!.port, "*monitor", (ch, payload) => events.push(`${ch} ${payload}`));
  try {
    for (const s of c.sentinels) expect(await cmd(s.port, "SENTINEL", "MONITOR", "other", "127.0.0.1", other.port, 2)).toBe("OK");
    const s0 = c.sentinels[0]!.port;
    expect(await reply(s0, "SENTINEL", "MONITOR", "other", "127.0.0.1", other.port, 2)).toBe("ERROR ERR Duplicate master name.");
    expect(await reply(s0, "SENTINEL", "MONITOR", "third", "127.0.0.1", other.port, 0)).toBe("ERROR ERR Quorum must be 1 or greater.");
    expect(await reply(s0, "SENTINEL", "MONITOR", "third", "no.such.host.invalid", other.port, 2)).toBe("ERROR ERR Invalid IP address or hostname specified");
    for (let i = 0; i < c.sentinels.length; i++) {
      expect(readText(c.confs[i]!)).toContain(`\nsentinel monitor other 127.0.0.1 ${other.port} 2\n`);
      const m = pairs(await cmd(c.sentinels[i]!.port, "SENTINEL", "MASTER", "other"));
      expect([m.ip, m.port, m.quorum]).toEqual(["127.0.0.1", String(other.port), "2"]);
    }
    // The daemons find each other for the new master through its hello channel.
    await waitFor(async () => {
      for (const s of c.sentinels) if (((await cmd(s.port, "SENTINEL", "SENTINELS", "other")) as unknown[]).length !== 2) return false;
      return true;
    }, 15000);
    expect(await cmd(s0, "SENTINEL", "CKQUORUM", "other")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
    expect(String(await cmd(s0, "INFO", "sentinel"))).toContain("sentinel_masters:2\r\n");
    expect(((await cmd(s0, "SENTINEL", "MASTERS")) as unknown[]).map((m) => pairs(m).name).sort()).toEqual(["mymaster", "other"]);

    for (const s of c.sentinels) expect(await cmd(s.port, "SENTINEL", "REMOVE", "other")).toBe("OK");
    for (let i = 0; i < c.sentinels.length; i++) {
      expect(readText(c.confs[i]!)).not.toMatch(/ other /);
      expect(await reply(c.sentinels[i]!.port, "SENTINEL", "MASTER", "other")).toBe("ERROR ERR No such master with that name");
    }
    expect(await reply(s0, "SENTINEL", "REMOVE", "other")).toBe("ERROR ERR No such master with that name");
    expect(String(await cmd(s0, "INFO", "sentinel"))).toContain("sentinel_masters:1\r\n");
    await waitFor(() => events.length >= 2, 5000);
    expect(events).toEqual([`+monitor master other 127.0.0.1 ${other.port} quorum 2`, `-monitor master other 127.0.0.1 ${other.port}`]);
  } finally {
    sub.close();
    other.kill();
  }
  // mymaster was not disturbed.
  await waitDiscovered(c);
});

it("RESET forgets replicas and sentinels of matching masters; they are learnt again", async () => {
  const s0 = c.sentinels[0]!.port;
  const events: string[] = [];
  const sub = await subscribeEvents(s0, "+reset-master", (ch, payload) => events.push(`${ch} ${payload}`));
  try {
    expect(await cmd(s0, "SENTINEL", "RESET", "nomatch*")).toBe(0);
    // One pipeline, so that no hello can re-add a sentinel between the reset and the listing.
    expect(
      await pipeline(s0, [
        ["SENTINEL", "RESET", "my*"],
        ["SENTINEL", "REPLICAS", "mymaster"],
        ["SENTINEL", "SENTINELS", "mymaster"],
      ]),
    ).toEqual([1, [], []]);
    await waitFor(() => events.length === 1, 5000);
    expect(events).toEqual([`+reset-master master mymaster ${masterAddr.replace(":", " ")}`]);
  } finally {
    sub.close();
  }
  // The master's INFO brings the replica back, the hellos the two other daemons.
  await waitDiscovered(c, 30000);
  expect(await cmd(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
});

it("SET changes a master's settings and persists them; CKQUORUM follows quorum and reachability; SIGTERM exits 0", async () => {
  const s0 = c.sentinels[0]!.port;
  expect(await cmd(s0, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", 1500, "quorum", 3)).toBe("OK");
  let m = pairs(await cmd(s0, "SENTINEL", "MASTER", "mymaster"));
  expect([m["down-after-milliseconds"], m.quorum]).toEqual(["1500", "3"]);
  let text = readText(c.confs[0]!);
  expect(text).toContain(`\nsentinel monitor mymaster ${masterAddr.replace(":", " ")} 3\n`);
  expect(text).toContain("\nsentinel down-after-milliseconds mymaster 1500\n");
  expect(await reply(s0, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "abc")).toBe("ERROR ERR Invalid argument 'abc' for SENTINEL SET 'down-after-milliseconds'");
  expect(await reply(s0, "SENTINEL", "SET", "mymaster", "nosuch", "1")).toBe("ERROR ERR Unknown option or number of arguments for SENTINEL SET 'nosuch'");
  expect(await reply(s0, "SENTINEL", "SET", "nosuch", "quorum", "1")).toBe("ERROR ERR No such master with that name");
  expect(await cmd(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");

  // Stop one peer with SIGTERM: a clean exit (status 0) that leaves its file flushed.
  const [, one, two] = c.sentinels as [unknown, (typeof c.sentinels)[number], (typeof c.sentinels)[number]];
  one.kill("SIGTERM");
  expect(await one.exited()).toBe(0);
  expect(readText(c.confs[1]!)).toMatch(/^sentinel myid [0-9a-f]{40}$/m);
  await waitFor(async () => String(await reply(s0, "SENTINEL", "CKQUORUM", "mymaster")).startsWith("ERROR NOQUORUM"), 10000);
  expect(await reply(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe("ERROR NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master");
  expect(await cmd(s0, "SENTINEL", "SET", "mymaster", "quorum", 2)).toBe("OK");
  expect(await cmd(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 2 usable Sentinels. Quorum and failover authorization can be reached");
  two.kill("SIGINT");
  expect(await two.exited()).toBe(0);
  await waitFor(async () => String(await reply(s0, "SENTINEL", "CKQUORUM", "mymaster")).startsWith("ERROR NOQUORUM"), 10000);
  expect(await reply(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe(
    "ERROR NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover",
  );

  // Put everything back: settings, then the two daemons from their own files.
  expect(await cmd(s0, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", 1000)).toBe("OK");
  m = pairs(await cmd(s0, "SENTINEL", "MASTER", "mymaster"));
  expect([m["down-after-milliseconds"], m.quorum]).toEqual(["1000", "2"]);
  text = readText(c.confs[0]!);
  expect(text).toContain(`\nsentinel monitor mymaster ${masterAddr.replace(":", " ")} 2\n`);
  expect(text).toContain("\nsentinel down-after-milliseconds mymaster 1000\n");
  [c.sentinels[1], c.sentinels[2]] = await Promise.all([startSentinel("vigil", c.confs[1]!, one.port), startSentinel("vigil", c.confs[2]!, two.port)]);
  await waitDiscovered(c);
  expect(await cmd(s0, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
});

it("FLUSHCONFIG rewrites the file from the running state, keeping the operator's edits (like Sentinel)", async () => {
  const s = c.sentinels[0]!;
  const conf = c.confs[0]!;
  const id = await cmd(s.port, "SENTINEL", "MYID");
  // An operator's comment added while the daemon runs survives; a line contradicting the running
  // state is put back in line with it.
  writeFileSync(conf, `${readText(conf)}# operator note: do not remove\nsentinel resolve-hostnames yes\n`);
  expect(await cmd(s.port, "SENTINEL", "FLUSHCONFIG")).toBe("OK");
  let text = readText(conf);
  expect(text).toContain("# operator note: do not remove\n");
  expect(text).toMatch(/^sentinel resolve-hostnames no$/m);
  expect(text).not.toMatch(/^sentinel resolve-hostnames yes$/m);
  // ... and survives the next state change too.
  expect(await cmd(s.port, "SENTINEL", "SET", "mymaster", "parallel-syncs", 2)).toBe("OK");
  text = readText(conf);
  expect(text).toContain("# operator note: do not remove\n");
  expect(text).toContain("\nsentinel parallel-syncs mymaster 2\n");
  expect(await cmd(s.port, "SENTINEL", "SET", "mymaster", "parallel-syncs", 1)).toBe("OK");
  // A deleted file is written again from the running state.
  unlinkSync(conf);
  expect(await cmd(s.port, "SENTINEL", "FLUSHCONFIG")).toBe("OK");
  text = readText(conf);
  expect(text).toContain(`sentinel myid ${id}\n`);
  expect(text).toContain(`sentinel monitor mymaster ${masterAddr.replace(":", " ")} 2\n`);
  expect(text).toMatch(new RegExp(`^port ${s.port}$`, "m"));
});

it("a config error stops the start with exit code 1, the file, line and reason, and leaves the file untouched", async () => {
  const dir = tempDir("vigil-badconf-");
  const lines = [`port ${await freePort()}`, "bind 127.0.0.1", "sentinel monitor mymaster 127.0.0.1 6379 2", "sentinel down-after-milliseconds mymaster abc", ""];
  const bins = ["vigil", "redis-sentinel"] as const;
  const confs = bins.map((bin) => join(dir, `${bin}.conf`));
  for (const conf of confs) writeFileSync(conf, lines.join("\n"));
  const before = confs.map((conf) => statSync(conf).mtimeMs);
  const results = await Promise.all(bins.map((bin, i) => runToExit(bin, confs[i]!)));
  for (let i = 0; i < confs.length; i++) {
    expect(readFileSync(confs[i]!, "utf8")).toBe(lines.join("\n"));
    expect(statSync(confs[i]!).mtimeMs).toBe(before[i]);
  }
  for (const r of results) {
    expect(r.code).toBe(1);
    expect(r.output).toContain("*** FATAL CONFIG FILE ERROR");
    expect(r.output).toContain("Reading the configuration file, at line 4\n");
    expect(r.output).toContain(">>> 'sentinel down-after-milliseconds mymaster abc'\n");
    expect(r.output).toContain("negative or zero time parameter.");
  }
});

it("an unwritable config file is refused at start, like Sentinel", async () => {
  const dir = tempDir("vigil-rofile-");
  chmodSync(dir, 0o755);
  // root may write anything: run the daemons as nobody when the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const bins = ["vigil", "redis-sentinel"] as const;
  const texts = await Promise.all(bins.map(async () => `port ${await freePort()}\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 6379 2\n`));
  const confs = bins.map((bin) => join(dir, `${bin}.conf`));
  for (const [i, conf] of confs.entries()) {
    writeFileSync(conf, texts[i]!);
    chmodSync(conf, 0o444);
  }
  const results = await Promise.all(bins.map((bin, i) => runToExit(bin, confs[i]!, asUser)));
  for (const [i, conf] of confs.entries()) expect(readFileSync(conf, "utf8")).toBe(texts[i]);
  for (const [i, r] of results.entries()) {
    const bin = bins[i]!;
    expect(r.code, bin).toBe(1);
    expect(r.output, bin).toContain(`Sentinel config file ${join(dir, `${bin}.conf`)} is not writable: Permission denied. Exiting...`);
  }
});
