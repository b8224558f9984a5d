// Real processes on 127.0.0.1 for the benchmarks: redis-server, redis-sentinel and the vigil daemon on
// free ports. A trimmed copy of packages/cli/test/support/processes.ts (which is TypeScript and not
// built), plus the cleanup the benchmarks need: everything started here is killed on normal exit,
// on Ctrl-C / SIGTERM and on an uncaught error, and every temp dir is removed.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { buildRoot, removeBuildRoot } from "./snapshot.mjs";

export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * The vigil daemon's entry point, in this run's private copy of the build (see snapshot.mjs);
 * fails loudly when the workspace is not built.
 */
export function vigilBin() {
  return join(buildRoot(ROOT, benchEnv).pkg("cli"), "dist", "bin.cjs");
}

/** Copy the build for this run (throws when the workspace is not built). */
export function requireBuilt() {
  vigilBin();
}

/** Absolute path of a binary, or an error naming the Debian package. */
export function requireBinary(name) {
  for (const dir of ["/usr/bin", "/usr/local/bin", "/usr/sbin"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} is required (apt-get install redis-server redis-sentinel redis-tools)`);
}

/** An environment variable of the benchmarks (`BENCH_*`). */
export function benchEnv(name) {
  return process.env[name];
}

/** `BENCH_VIGIL_NODE_ARGS` asks for `--cpu-prof`: stop Vigil with SIGTERM so it writes its profile. */
export function profiling() {
  return (benchEnv("BENCH_VIGIL_NODE_ARGS") ?? "").includes("--cpu-prof");
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor(fn, timeoutMs = 20000, everyMs = 50, what = "condition") {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`waitFor(${what}) timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await sleep(everyMs);
  }
}

/** `n` distinct free loopback ports (all held open together while picking). */
export async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((ok, fail) => {
          const srv = createServer();
          srv.once("error", fail);
          srv.listen(0, "127.0.0.1", () => ok(srv));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

// ------------------------------------------------------------------ process registry and cleanup

const procs = new Set();
const dirs = new Set();

/** A fresh temp dir, removed at exit. */
export function tempDir(prefix = "vigil-bench-") {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
}

/** Remove a temp dir now (and forget it). */
export function removeDir(d) {
  dirs.delete(d);
  rmSync(d, { recursive: true, force: true });
}

function alive(child) {
  return child.exitCode === null && child.signalCode === null;
}

function track(child, info) {
  let out = "";
  const keep = (d) => {
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise((r) => child.once("exit", (code, signal) => r(code ?? signal)));
  const p = {
    ...info,
    child,
    pid: child.pid,
    log: () => out,
    alive: () => alive(child),
    signal: (sig) => {
      if (alive(child)) child.kill(sig);
    },
    exited: () => exited,
    /** SIGKILL (after SIGCONT, in case it is stopped); resolves when it is gone. */
    kill: async () => {
      if (alive(child)) {
        child.kill("SIGCONT");
        child.kill("SIGKILL");
      }
      await exited;
    },
    /** SIGTERM, then SIGKILL after `graceMs` (lets `node --cpu-prof` write its profile). */
    stop: async (graceMs = 5000) => {
      if (!alive(child)) return exited;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const t = setTimeout(() => alive(child) && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
  procs.add(p);
  child.once("exit", () => procs.delete(p));
  return p;
}

/** Spawn any helper process, killed at exit like the daemons (`info.kind` names it in logs). */
export function spawnTracked(bin, args, info, env = process.env) {
  return track(spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env }), info);
}

/** Kill (SIGKILL) every process this script started and remove its temp dirs. */
export async function killAll() {
  const all = [...procs];
  await Promise.all(all.map((p) => (profiling() && p.kind === "vigil" ? p.stop() : p.kill())));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

let installed = false;
/** Kill everything on exit, Ctrl-C, SIGTERM and uncaught errors. Idempotent. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  process.on("exit", () => {
    for (const p of procs) {
      try {
        p.child.kill("SIGCONT");
        p.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    removeBuildRoot();
  });
  const onSignal = (sig) => {
    process.stderr.write(`\n${sig}: stopping every process this benchmark started\n`);
    killAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.on("uncaughtException", (e) => {
    process.stderr.write(`uncaught: ${e?.stack ?? e}\n`);
    killAll().finally(() => process.exit(1));
  });
  process.on("unhandledRejection", (e) => {
    process.stderr.write(`unhandled rejection: ${e?.stack ?? e}\n`);
    killAll().finally(() => process.exit(1));
  });
}

/** Run `main` with cleanup installed; kills everything and sets the exit code when it is done. */
export async function runMain(main) {
  installCleanup();
  requireBuilt();
  let code = 0;
  try {
    code = (await main()) ?? 0;
  } catch (e) {
    process.stderr.write(`${e?.stack ?? e}\n`);
    code = 1;
  }
  await killAll();
  removeBuildRoot();
  process.exit(code);
}

// ------------------------------------------------------------------ talking to servers

/** One command on a fresh short-lived connection. */
export async function cmd(port, ...args) {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableReadyCheck: false, connectTimeout: 2000, commandTimeout: 5000 });
  r.on("error", () => {});
  try {
    await r.connect();
    return await r.call(String(args[0]), ...args.slice(1).map(String));
  } finally {
    r.disconnect();
  }
}

/** A persistent connection that never reconnects by itself and never queues offline. */
export function connection(port, opts = {}) {
  const r = new Redis({ port, host: "127.0.0.1", retryStrategy: () => opts.retryMs ?? 20, maxRetriesPerRequest: 0, enableOfflineQueue: false, enableReadyCheck: false, connectTimeout: 1000, commandTimeout: opts.commandTimeout ?? 1000 });
  r.on("error", () => {});
  return r;
}

/** {@link connection}, resolved once it is ready. */
export async function openConnection(port, opts = {}) {
  const r = connection(port, opts);
  if (r.status !== "ready") {
    await new Promise((ok, fail) => {
      const t = setTimeout(() => fail(new Error(`no connection to :${port} within ${(opts.readyTimeoutMs ?? 30000) / 1000} s`)), opts.readyTimeoutMs ?? 30000);
      r.once("ready", () => {
        clearTimeout(t);
        ok();
      });
    });
  }
  return r;
}

/** A flat `k v k v ...` reply as a record. */
export function pairs(flat) {
  const m = {};
  if (!Array.isArray(flat)) return m;
  for (let i = 0; i + 1 < flat.length; i += 2) m[String(flat[i])] = String(flat[i + 1]);
  return m;
}

// ------------------------------------------------------------------ redis-server

/** Start redis-server on 127.0.0.1:port (optionally a replica of `replicaOf`); waits for PONG. */
export async function startRedis(port, opts = {}) {
  const bin = requireBinary("redis-server");
  const dir = opts.dir ?? tempDir("vigil-bench-redis-");
  const conf = join(dir, `redis-${port}.conf`);
  const lines = [
    `port ${port}`,
    "bind 127.0.0.1",
    'save ""',
    "appendonly no",
    `dir ${dir}`,
    `dbfilename dump-${port}.rdb`,
    "protected-mode no",
    "repl-diskless-sync no",
    "repl-diskless-sync-delay 0",
    "loglevel warning",
  ];
  if (opts.replicaOf) lines.push(`replicaof 127.0.0.1 ${opts.replicaOf}`);
  writeFileSync(conf, `${lines.join("\n")}\n${(opts.extra ?? []).join("\n")}\n`);
  const child = spawn(bin, [conf], { stdio: ["ignore", "pipe", "pipe"] });
  const p = track(child, { kind: "redis-server", port, dir });
  await waitFor(async () => (await cmd(port, "PING")) === "PONG", 15000, 20, `redis-server :${port} PONG`);
  return p;
}

/** A replica's `master_link_status` (null when it does not answer). */
export async function linkStatus(port) {
  try {
    const info = String(await cmd(port, "INFO", "replication"));
    return /master_link_status:(\w+)/.exec(info)?.[1] ?? null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ sentinels

/** Write a sentinel.conf monitoring `masters` (`[{ name, port }]`). */
export function sentinelConf(dir, port, masters, opts = {}) {
  const path = join(dir, `sentinel-${port}.conf`);
  const lines = [`port ${port}`, "bind 127.0.0.1", `dir ${dir}`];
  for (const m of masters) {
    lines.push(
      `sentinel monitor ${m.name} 127.0.0.1 ${m.port} ${opts.quorum ?? 2}`,
      `sentinel down-after-milliseconds ${m.name} ${opts.downAfter ?? 1000}`,
      `sentinel failover-timeout ${m.name} ${opts.failoverTimeout ?? 60000}`,
    );
  }
  lines.push(...(opts.extra ?? []));
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/**
 * Start a sentinel daemon: `kind` is "vigil" (node packages/cli/dist/bin.cjs) or "redis"
 * (redis-sentinel). `BENCH_VIGIL_NODE_ARGS` adds node flags to Vigil (e.g. `--cpu-prof`).
 */
export async function startSentinel(kind, confPath, port, args = [], opts = {}) {
  let child;
  if (kind === "redis") child = spawn(requireBinary("redis-sentinel"), [confPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  else {
    const nodeArgs = (benchEnv("BENCH_VIGIL_NODE_ARGS") ?? "").split(/\s+/).filter(Boolean);
    child = spawn(process.execPath, [...nodeArgs, ...(opts.nodeArgs ?? []), vigilBin(), confPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  }
  const p = track(child, { kind, port, conf: confPath });
  try {
    await waitFor(async () => (await cmd(port, "PING")) === "PONG", opts.readyTimeoutMs ?? 30000, 50, `${kind} sentinel :${port} PONG`);
  } catch (e) {
    throw new Error(`${e.message}\n--- log of ${kind} :${port} ---\n${p.log().slice(-3000)}`);
  }
  return p;
}

/** Human name of a daemon kind. */
export const KIND_NAME = { vigil: "Vigil", redis: "redis-sentinel" };

/** Versions for the report header. */
export function versions() {
  const v = (bin, arg) => {
    try {
      return execFileSync(bin, [arg], { encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  };
  return {
    redis: /v=(\S+)/.exec(v(requireBinary("redis-server"), "--version"))?.[1] ?? "?",
    node: process.version,
  };
}
