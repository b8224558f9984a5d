// Real processes on loopback for integration tests: redis-server, redis-sentinel and vigil daemons on
// ports the test picks. Missing binaries fail loudly: CI must never silently skip these tests.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { dialectArgs, oracleSentinel, type SentinelDialect } from "./oracles.js";

export const VIGIL_BIN = resolve(import.meta.dirname, "../../dist/bin.cjs");

/** Throw (never skip) when a binary the test needs is missing. */
export function requireBinary(name: string): string {
  for (const dir of ["/usr/bin", "/usr/local/bin", "/usr/sbin"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} is required for this test but is not installed (apt-get install redis-server redis-sentinel)`);
}

/** A port nothing listens on right now (ephemeral range, loopback). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

const dirs = new Set<string>();

/** A fresh directory under the OS temp dir; {@link cleanup} removes it. */
export function tempDir(prefix = "vigil-test-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs = 20000, everyMs = 50): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`waitFor timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await sleep(everyMs);
  }
}

/** Run one command against host:port and return the reply (a fresh short-lived connection). */
export async function cmd(port: number, ...args: (string | number)[]): Promise<unknown> {
  return authCmd(port, undefined, ...args);
}

/** {@link cmd} with a password (AUTH before the command) for servers with `requirepass`. */
export async function authCmd(port: number, password: string | undefined, ...args: (string | number)[]): Promise<unknown> {
  const r = new Redis({ port, host: "127.0.0.1", password, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableReadyCheck: false, connectTimeout: 1000, commandTimeout: 3000 });
  r.on("error", () => {});
  try {
    await r.connect();
    return await r.call(String(args[0]), ...args.slice(1).map(String));
  } finally {
    r.disconnect();
  }
}

/** A spawned process with its port and log. */
export interface Proc {
  readonly port: number;
  /** `requirepass` of a redis-server started with a password. */
  readonly password?: string;
  readonly child: ChildProcess;
  readonly dir: string;
  log(): string;
  kill(signal?: NodeJS.Signals): void;
  exited(): Promise<number | null>;
}

const procs = new Set<Proc>();
/** Every process started by this file, with a label, for {@link dumpLogs}. */
const history: { label: string; proc: Proc }[] = [];

/**
 * The tail of every log of every process this file started (for failure reports). Set
 * `VIGIL_TEST_LOGS=full` for complete logs.
 */
export function dumpLogs(lines = 40): string {
  const full = process.env.VIGIL_TEST_LOGS === "full";
  return history
    .map(({ label, proc }) => {
      const all = proc.log().split("\n");
      const shown = full ? all : all.slice(-lines);
      return `----- ${label} (pid ${proc.child.pid}, exit ${proc.child.exitCode ?? proc.child.signalCode ?? "running"}) -----\n${shown.join("\n")}`;
    })
    .join("\n");
}

function track(port: number, child: ChildProcess, dir: string, password?: string, label = `:${port}`): Proc {
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const p: Proc = {
    port,
    password,
    child,
    dir,
    log: () => out,
    kill: (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited: () => exit,
  };
  procs.add(p);
  history.push({ label, proc: p });
  child.once("exit", () => procs.delete(p));
  return p;
}

/** Kill everything this test file started (reporting split votes seen in Vigil logs). */
export async function killAll(): Promise<void> {
  const aborts = electionAborts();
  if (aborts.length > 0) console.warn(`split votes (failover delayed by 2 x failover-timeout):\n${aborts.join("\n")}`);
  const all = [...procs];
  for (const p of all) {
    p.kill("SIGCONT");
    p.kill("SIGKILL");
  }
  await Promise.all(all.map((p) => p.exited()));
  history.length = 0;
}

/** {@link killAll}, then remove every directory {@link tempDir} made (use in `afterAll`). */
export async function cleanup(): Promise<void> {
  await killAll();
  // Scripts a killed daemon started (notification, client-reconfig) outlive it and may still write
  // into its directory: retry instead of failing on ENOTEMPTY.
  for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  dirs.clear();
}

/**
 * Start redis-server on 127.0.0.1:port (optionally as a replica; optionally with `requirepass` and
 * `masterauth` set to `password`) and wait for PONG.
 */
export async function startRedis(port: number, opts: { replicaOf?: number; password?: string; extra?: string[] } = {}): Promise<Proc> {
  const bin = requireBinary("redis-server");
  const dir = tempDir("vigil-redis-");
  const conf = join(dir, "redis.conf");
  const lines = [`port ${port}`, "bind 127.0.0.1", 'save ""', "appendonly no", `dir ${dir}`, "protected-mode no", "repl-diskless-sync no", "repl-diskless-sync-delay 0"];
  if (opts.replicaOf) lines.push(`replicaof 127.0.0.1 ${opts.replicaOf}`);
  if (opts.password) lines.push(`requirepass ${opts.password}`, `masterauth ${opts.password}`);
  writeFileSync(conf, `${lines.join("\n")}\n${(opts.extra ?? []).join("\n")}\n`);
  const child = spawn(bin, [conf], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(port, child, dir, opts.password, `redis-server :${port}`);
  await waitFor(async () => (await authCmd(port, opts.password, "PING")) === "PONG", 10000);
  return p;
}

/** Restart a redis-server with the config it had (kept in its dir). */
export async function restartRedis(old: Proc): Promise<Proc> {
  const bin = requireBinary("redis-server");
  const child = spawn(bin, [join(old.dir, "redis.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(old.port, child, old.dir, old.password, `redis-server :${old.port} (restarted)`);
  await waitFor(async () => (await authCmd(old.port, old.password, "PING")) === "PONG", 10000);
  return p;
}

/** Write a sentinel.conf monitoring one master. */
export function sentinelConf(dir: string, port: number, masterPort: number, opts: { quorum?: number; downAfter?: number; failoverTimeout?: number; extra?: string[]; name?: string } = {}): string {
  const name = opts.name ?? "mymaster";
  const path = join(dir, `sentinel-${port}.conf`);
  const lines = [
    `port ${port}`,
    "bind 127.0.0.1",
    `dir ${dir}`,
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${opts.quorum ?? 2}`,
    `sentinel down-after-milliseconds ${name} ${opts.downAfter ?? 1000}`,
    `sentinel failover-timeout ${name} ${opts.failoverTimeout ?? 10000}`,
    ...(opts.extra ?? []),
  ];
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/**
 * Start a sentinel daemon of either kind on the given config; waits for PONG (with AUTH `password`
 * if given). With a `dialect`, "redis" is that dialect's oracle and vigil runs with `--vigil-dialect`.
 * `cwd` is the directory it is launched from (default: the test's).
 */
export async function startSentinel(kind: "vigil" | "redis", confPath: string, port: number, args: string[] = [], password?: string, dialect?: SentinelDialect, cwd?: string): Promise<Proc> {
  let child: ChildProcess;
  const oracle = kind === "redis" && dialect !== undefined ? oracleSentinel(dialect) : undefined;
  if (oracle) child = spawn(oracle.bin, [confPath, ...args, ...oracle.extraArgs], { stdio: ["ignore", "pipe", "pipe"], cwd });
  else if (kind === "redis") child = spawn(requireBinary("redis-sentinel"), [confPath, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd });
  else child = spawn(process.execPath, [VIGIL_BIN, confPath, ...args, ...(dialect === undefined ? [] : dialectArgs(dialect))], { stdio: ["ignore", "pipe", "pipe"], cwd });
  const p = track(port, child, confPath, undefined, `${kind === "vigil" ? `vigil${dialect ? ` (${dialect})` : ""}` : (oracle?.label ?? "redis-sentinel")} :${port}`);
  await waitFor(async () => (await authCmd(port, password, "PING")) === "PONG", 30000);
  return p;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

export function which(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

/** `n` distinct free ports (all held open together while picking, so no duplicates). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import("node:net").Server>((ok, fail) => {
          const srv = createServer();
          srv.once("error", fail);
          srv.listen(0, "127.0.0.1", () => ok(srv));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === "object" && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A flat `k v k v ...` reply as a record. */
export function pairs(flat: unknown): Record<string, string> {
  const m: Record<string, string> = {};
  if (!Array.isArray(flat)) return m;
  for (let i = 0; i + 1 < flat.length; i += 2) m[String(flat[i])] = String(flat[i + 1]);
  return m;
}

/** `SENTINEL GET-MASTER-ADDR-BY-NAME` as `ip:port` (null when unknown or unreachable). */
export async function masterAddr(sentinelPort: number, name = "mymaster"): Promise<string | null> {
  try {
    const r = (await cmd(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)) as string[] | null;
    return r ? `${r[0]}:${r[1]}` : null;
  } catch {
    return null;
  }
}

/** `ROLE` of a redis-server: `master`, or `slave <ip>:<port>`; null when it does not answer. */
export async function roleOf(p: Proc): Promise<string | null> {
  try {
    const r = (await authCmd(p.port, p.password, "ROLE")) as unknown[];
    return r[0] === "master" ? "master" : `${String(r[0])} ${String(r[1])}:${String(r[2])}`;
  } catch {
    return null;
  }
}

/** A replica's `master_link_status` from `INFO replication` (null when it does not answer). */
export async function linkStatus(p: Proc): Promise<string | null> {
  try {
    const info = String(await authCmd(p.port, p.password, "INFO", "replication"));
    return /master_link_status:(\w+)/.exec(info)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** One master, its replicas and the sentinels (Vigil or redis-sentinel) watching it. */
export interface Cluster {
  readonly dir: string;
  readonly name: string;
  readonly kind: "vigil" | "redis";
  readonly password?: string;
  /** redis-server processes; index 0 is the initial master. Replace entries after a restart. */
  readonly redis: Proc[];
  /** Sentinel daemons; `confs[i]` is `sentinels[i]`'s config file. Replace entries after a restart. */
  readonly sentinels: Proc[];
  readonly confs: readonly string[];
  readonly sentinelPorts: readonly number[];
}

export interface ClusterOptions {
  readonly replicas?: number;
  readonly sentinels?: number;
  readonly kind?: "vigil" | "redis";
  /** requirepass/masterauth on every redis-server and `sentinel auth-pass` in every sentinel.conf. */
  readonly password?: string;
  readonly quorum?: number;
  readonly downAfter?: number;
  /**
   * Default 3000. Kept short on purpose: a split vote (every candidate voted for itself, see
   * {@link electionAborts}) costs 2 × failover-timeout before the next attempt, which must fit the
   * test's budget on a loaded CI host.
   */
  readonly failoverTimeout?: number;
  readonly sentinelExtra?: readonly string[];
  readonly name?: string;
}

/**
 * Start a master, `replicas` replicas (synced) and `sentinels` sentinels, and wait until every
 * sentinel has discovered every replica and every other sentinel.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const nRep = opts.replicas ?? 2;
  const nSen = opts.sentinels ?? 3;
  const kind = opts.kind ?? "vigil";
  const name = opts.name ?? "mymaster";
  const ports = await freePorts(1 + nRep + nSen);
  const redisPorts = ports.slice(0, 1 + nRep);
  const sentinelPorts = ports.slice(1 + nRep);
  const master = await startRedis(redisPorts[0]!, { password: opts.password });
  const replicas = await Promise.all(redisPorts.slice(1).map((p) => startRedis(p, { replicaOf: redisPorts[0]!, password: opts.password })));
  await waitFor(async () => (await Promise.all(replicas.map(linkStatus))).every((s) => s === "up"), 15000);
  const dir = tempDir("vigil-cluster-");
  const extra = [...(opts.password ? [`sentinel auth-pass ${name} ${opts.password}`] : []), ...(opts.sentinelExtra ?? [])];
  const confs = sentinelPorts.map((p) => sentinelConf(dir, p, redisPorts[0]!, { quorum: opts.quorum, downAfter: opts.downAfter, failoverTimeout: opts.failoverTimeout ?? 3000, extra, name }));
  const sentinels = await Promise.all(sentinelPorts.map((p, i) => startSentinel(kind, confs[i]!, p)));
  const cluster: Cluster = { dir, name, kind, password: opts.password, redis: [master, ...replicas], sentinels, confs, sentinelPorts };
  try {
    await waitDiscovered(cluster);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${dumpLogs()}`);
  }
  // A daemon that needed more than down-after to connect (loaded host) may have started a failover.
  for (const s of sentinels) {
    const addr = await masterAddr(s.port, name);
    if (addr !== `127.0.0.1:${redisPorts[0]}`) throw new Error(`sentinel :${s.port} reports master ${addr} right after start (spurious failover?)\n${dumpLogs()}`);
  }
  return cluster;
}

/**
 * `-failover-abort-not-elected` lines in the logs of every sentinel this file started: each is a
 * split vote that delayed a failover by 2 × failover-timeout.
 */
export function electionAborts(): string[] {
  return history.flatMap(({ label, proc }) => (label.startsWith("vigil") ? proc.log().split("\n").filter((l) => l.includes("-failover-abort-not-elected")).map((l) => `${label}: ${l}`) : []));
}

/** Wait until every running sentinel of `c` knows all replicas and all other sentinels (not disconnected). */
export async function waitDiscovered(c: Cluster, timeoutMs = 20000): Promise<void> {
  await waitFor(
    async () => {
      for (const s of c.sentinels) {
        const reps = (await cmd(s.port, "SENTINEL", "REPLICAS", c.name)) as unknown[];
        const sens = (await cmd(s.port, "SENTINEL", "SENTINELS", c.name)) as unknown[];
        if (reps.length !== c.redis.length - 1 || sens.length !== c.sentinels.length - 1) return false;
        if ([...reps, ...sens].some((r) => /disconnected|s_down/.test(pairs(r).flags ?? ""))) return false;
      }
      return true;
    },
    timeoutMs,
    100,
  );
}

/** Wait until every running sentinel reports the same master address; returns it as `ip:port`. */
export async function waitAgreedMaster(c: Cluster, notPort?: number, timeoutMs = 20000): Promise<string> {
  return waitFor(
    async () => {
      const addrs = await Promise.all(c.sentinels.map((s) => masterAddr(s.port, c.name)));
      const first = addrs[0];
      if (!first || addrs.some((a) => a !== first)) return null;
      if (notPort !== undefined && first.endsWith(`:${notPort}`)) return null;
      return first;
    },
    timeoutMs,
    50,
  );
}

/** Run `redis-cli` with the given arguments; returns stdout (throws on a non-zero exit). */
export function redisCli(...args: string[]): string {
  return execFileSync(requireBinary("redis-cli"), args, { encoding: "utf8", timeout: 10000, stdio: ["ignore", "pipe", "pipe"] });
}

/** A pub/sub subscription to a sentinel's event channels (`PSUBSCRIBE pattern`). */
export async function subscribeEvents(port: number, pattern: string, onEvent: (channel: string, payload: string) => void): Promise<{ close(): void }> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  r.on("error", () => {});
  await r.connect();
  r.on("pmessage", (_pattern: string, channel: string, payload: string) => onEvent(channel, payload));
  await r.psubscribe(pattern);
  return { close: () => r.disconnect() };
}

/** Write `key`=`value` on a master and wait until `replicas` replicas acknowledged it. */
export async function writeReplicated(master: Proc, key: string, value: string, replicas: number): Promise<void> {
  await authCmd(master.port, master.password, "SET", key, value);
  await waitFor(async () => Number(await authCmd(master.port, master.password, "WAIT", replicas, 1000)) >= replicas, 10000);
}

/** The redis-server of `c` listening on `port`. */
export function redisAt(c: Cluster, port: number): Proc {
  const p = c.redis.find((r) => r.port === port);
  if (!p) throw new Error(`no redis-server of this cluster listens on ${port}`);
  return p;
}

/** `ip:port` → port. */
export function portOf(addr: string): number {
  return Number(addr.slice(addr.lastIndexOf(":") + 1));
}
