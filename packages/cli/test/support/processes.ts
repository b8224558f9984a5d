// Real processes on loopback for integration tests: redis-server, redis-sentinel and vigil daemons on
// ports the test picks. Missing binaries fail loudly: CI must never silently skip these tests.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";

export const VIGIL_BIN = resolve(import.meta.dirname, "../../dist/bin.js");

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

export function tempDir(prefix = "vigil-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableReadyCheck: false, connectTimeout: 1000 });
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
  readonly child: ChildProcess;
  readonly dir: string;
  log(): string;
  kill(signal?: NodeJS.Signals): void;
  exited(): Promise<number | null>;
}

const procs = new Set<Proc>();

function track(port: number, child: ChildProcess, dir: string): Proc {
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const p: Proc = {
    port,
    child,
    dir,
    log: () => out,
    kill: (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited: () => exit,
  };
  procs.add(p);
  child.once("exit", () => procs.delete(p));
  return p;
}

/** Kill everything this test file started. */
export async function killAll(): Promise<void> {
  const all = [...procs];
  for (const p of all) {
    p.kill("SIGCONT");
    p.kill("SIGKILL");
  }
  await Promise.all(all.map((p) => p.exited()));
}

/** Start redis-server on 127.0.0.1:port (optionally as a replica) and wait for PONG. */
export async function startRedis(port: number, opts: { replicaOf?: number; extra?: string[] } = {}): Promise<Proc> {
  const bin = requireBinary("redis-server");
  const dir = tempDir("vigil-redis-");
  const conf = join(dir, "redis.conf");
  const lines = [`port ${port}`, "bind 127.0.0.1", 'save ""', "appendonly no", `dir ${dir}`, "protected-mode no", "repl-diskless-sync no", "repl-diskless-sync-delay 0"];
  if (opts.replicaOf) lines.push(`replicaof 127.0.0.1 ${opts.replicaOf}`);
  writeFileSync(conf, `${lines.join("\n")}\n${(opts.extra ?? []).join("\n")}\n`);
  const child = spawn(bin, [conf], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(port, child, dir);
  await waitFor(async () => (await cmd(port, "PING")) === "PONG", 10000);
  return p;
}

/** Restart a redis-server with the config it had (kept in its dir). */
export async function restartRedis(old: Proc): Promise<Proc> {
  const bin = requireBinary("redis-server");
  const child = spawn(bin, [join(old.dir, "redis.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(old.port, child, old.dir);
  await waitFor(async () => (await cmd(old.port, "PING")) === "PONG", 10000);
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

/** Start a sentinel daemon of either kind on the given config; waits for PONG. */
export async function startSentinel(kind: "vigil" | "redis", confPath: string, port: number, args: string[] = []): Promise<Proc> {
  let child: ChildProcess;
  if (kind === "redis") child = spawn(requireBinary("redis-sentinel"), [confPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  else child = spawn(process.execPath, [VIGIL_BIN, confPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(port, child, confPath);
  await waitFor(async () => (await cmd(port, "PING")) === "PONG", 15000);
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
