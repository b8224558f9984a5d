// Real-process fault kit, plain ESM so that both the vitest scenarios (through faults.ts) and
// bench/lost-writes.mjs use it without a build step.
//
// Every node gets its own loopback address inside a private /24 (127.90.<block>.0/24, one block per
// cluster, locked on disk so concurrent test files never share one): data nodes are .11, .12, ...,
// sentinels .21, .22, ... Redis binds and sources from its address (`bind`, `bind-source-addr`);
// Vigil and redis-sentinel likewise (Vigil's `bind-source-addr` binds every outgoing link). Links are
// cut with iptables DROP rules in a chain of our own (`VIGIL_TEST_<block>`) jumped to from INPUT
// only for packets on `lo` towards our block, so nothing outside 127.90.<block>.0/24 is ever touched.
// DROP sits in INPUT (not OUTPUT) so the sender sees silence and TCP retransmits, like a real
// partition, instead of an immediate EPERM. The test's own client connections come from 127.0.0.1,
// which no rule names: the test always sees everything.
//
// Missing redis-server / redis-sentinel / iptables, or an iptables that cannot add rules, throws.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";

export const VIGIL_BIN = resolve(import.meta.dirname, "../../dist/bin.cjs");
const PREFIX = "127.90";
const LOCK_DIR = join(tmpdir(), "vigil-fault-blocks");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Path of a binary (redis-server, redis-sentinel, iptables); throws when it is not installed. */
export function requireTool(name) {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin", "/usr/local/bin"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  const pkg = name === "iptables" ? "iptables" : "redis-server redis-sentinel";
  throw new Error(`${name} is required for the fault scenarios but is not installed (apt-get install ${pkg}); .ci/run installs it`);
}

/** Poll `fn` until truthy or `timeoutMs` passes (throws with the last error). */
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

/** `n` distinct ports free on 127.0.0.1 (held together while picking). */
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

// ---------------------------------------------------------------------------------------------
// Cleanup registry: everything this process started, removed on cleanup() and on exit.

const live = { nodes: new Set(), firewalls: new Set(), blocks: new Set(), dirs: new Set(), clients: new Map() };
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const n of live.nodes) n.killSync();
    for (const fw of live.firewalls) fw.closeSync();
    for (const b of live.blocks) b.release();
    for (const d of live.dirs) rmSync(d, { recursive: true, force: true });
  });
}

function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  live.dirs.add(d);
  return d;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/**
 * A /24 of our own: 127.90.<index>.0/24, locked by a file holding our pid (stale locks of dead pids
 * are taken over). `addr(n)` is 127.90.<index>.<n>.
 */
export function allocateBlock() {
  installExitHook();
  mkdirSync(LOCK_DIR, { recursive: true });
  const start = 1 + ((process.pid * 7 + Date.now()) % 250);
  for (let i = 0; i < 250; i++) {
    const index = 1 + ((start + i) % 250);
    const lock = join(LOCK_DIR, `block-${index}`);
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
    } catch {
      const owner = Number.parseInt(readFileSync(lock, "utf8"), 10);
      if (Number.isInteger(owner) && pidAlive(owner)) continue;
      try {
        unlinkSync(lock);
        writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      } catch {
        continue;
      }
    }
    const block = {
      index,
      subnet: `${PREFIX}.${index}.0/24`,
      addr: (n) => `${PREFIX}.${index}.${n}`,
      release: () => {
        live.blocks.delete(block);
        try {
          if (readFileSync(lock, "utf8").trim() === String(process.pid)) unlinkSync(lock);
        } catch {
          // already gone
        }
      },
    };
    live.blocks.add(block);
    return block;
  }
  throw new Error("no free 127.90.x.0/24 block (250 in use?)");
}

// ---------------------------------------------------------------------------------------------
// iptables

function ipt(args, input) {
  return execFileSync(requireTool(input === undefined ? "iptables" : "iptables-restore"), input === undefined ? ["-w", "5", ...args] : ["-w", "5", "--noflush"], {
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 15000,
  });
}

function tryIpt(args) {
  try {
    ipt(args);
    return true;
  } catch {
    return false;
  }
}

/** Remove chain `VIGIL_TEST_<index>` and every INPUT jump to it (idempotent). */
function removeChain(index) {
  const chain = `VIGIL_TEST_${index}`;
  const jump = ["INPUT", "-i", "lo", "-d", `${PREFIX}.${index}.0/24`, "-j", chain];
  for (let i = 0; i < 20 && tryIpt(["-D", ...jump]); i++);
  // A jump with another shape (should not exist) would keep the chain referenced: remove those too.
  const rules = tryList("INPUT").filter((l) => l.includes(`-j ${chain}`));
  for (const l of rules) tryIpt(["-D", ...l.split(/\s+/).slice(1)]);
  tryIpt(["-F", chain]);
  tryIpt(["-X", chain]);
}

function tryList(chain) {
  try {
    return ipt(["-S", chain]).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Remove VIGIL_TEST_<n> chains left by dead processes (their block lock is gone or its pid is dead).
 * Chains of live processes are left alone: other test files may be running.
 */
export function sweepStaleChains() {
  const chains = ipt(["-S"])
    .split("\n")
    .map((l) => /^-N VIGIL_TEST_(\d+)$/.exec(l)?.[1])
    .filter(Boolean);
  for (const c of chains) {
    const lock = join(LOCK_DIR, `block-${c}`);
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(lock, "utf8"), 10);
    } catch {
      // no lock: stale
    }
    if (!(Number.isInteger(owner) && pidAlive(owner))) removeChain(Number(c));
  }
}

const asList = (x) => (Array.isArray(x) ? x : [x]);

/**
 * DROP rules between addresses of one block. `cut(a, b)` drops both directions between every
 * address of `a` and every address of `b`; `{ oneWay: true }` only packets from `a` to `b`.
 */
export class Firewall {
  constructor(block) {
    requireTool("iptables");
    requireTool("iptables-restore");
    installExitHook();
    this.block = block;
    this.chain = `VIGIL_TEST_${block.index}`;
    this.rules = new Set();
    sweepStaleChains();
    removeChain(block.index); // start clean: a crashed run with this block may have left it
    ipt(["-N", this.chain]);
    ipt(["-I", "INPUT", "1", "-i", "lo", "-d", block.subnet, "-j", this.chain]);
    live.firewalls.add(this);
  }

  pairs(a, b, oneWay) {
    const out = [];
    for (const x of asList(a)) for (const y of asList(b)) if (x !== y) out.push(`${x}>${y}`, ...(oneWay ? [] : [`${y}>${x}`]));
    return out;
  }

  apply(op, keys) {
    if (keys.length === 0) return;
    const lines = keys.map((k) => {
      const [s, d] = k.split(">");
      for (const ip of [s, d]) if (!ip.startsWith(`${PREFIX}.${this.block.index}.`)) throw new Error(`refusing to touch ${ip}: outside ${this.block.subnet}`);
      return `${op} ${this.chain} -s ${s} -d ${d} -j DROP`;
    });
    ipt([], `*filter\n${lines.join("\n")}\nCOMMIT\n`);
  }

  /** Drop traffic between `a` and `b` (addresses or lists of addresses). */
  cut(a, b, opts = {}) {
    const keys = this.pairs(a, b, opts.oneWay).filter((k) => !this.rules.has(k));
    this.apply("-A", keys);
    for (const k of keys) this.rules.add(k);
  }

  /** Undo `cut(a, b)`; without arguments, remove every rule. */
  heal(a, b, opts = {}) {
    if (a === undefined) {
      ipt(["-F", this.chain]);
      this.rules.clear();
      return;
    }
    const keys = this.pairs(a, b, opts.oneWay).filter((k) => this.rules.has(k));
    this.apply("-D", keys);
    for (const k of keys) this.rules.delete(k);
  }

  /** Number of DROP rules in place. */
  size() {
    return this.rules.size;
  }

  closeSync() {
    removeChain(this.block.index);
    this.rules.clear();
    live.firewalls.delete(this);
  }
}

// ---------------------------------------------------------------------------------------------
// Client connections from 127.0.0.1 (never subject to a rule), cached per address.

function clientFor(host, port, timeoutMs) {
  const key = `${host}:${port}`;
  let entry = live.clients.get(key);
  if (!entry) {
    const c = new Redis({ host, port, lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false, maxRetriesPerRequest: 0, enableReadyCheck: false, connectTimeout: timeoutMs, commandTimeout: timeoutMs, autoResubscribe: false });
    c.on("error", () => {});
    entry = { client: c, ready: c.connect() };
    entry.ready.catch(() => {});
    const e = entry;
    c.once("close", () => {
      if (live.clients.get(key) === e) live.clients.delete(key);
    });
    live.clients.set(key, entry);
  }
  return entry;
}

/** Run one command on host:port (a cached connection; a failure drops it so the next call reconnects). */
export async function call(host, port, args, timeoutMs = 1000) {
  const key = `${host}:${port}`;
  const entry = clientFor(host, port, timeoutMs);
  try {
    await entry.ready;
    return await entry.client.call(String(args[0]), ...args.slice(1).map(String));
  } catch (e) {
    // Error replies keep the connection; transport errors and timeouts drop it.
    if (!(e?.name === "ReplyError")) {
      if (live.clients.get(key) === entry) live.clients.delete(key);
      entry.client.disconnect();
    }
    throw e;
  }
}

/** Close the cached client connections. */
export function closeClients() {
  for (const e of live.clients.values()) e.client.disconnect();
  live.clients.clear();
}

// ---------------------------------------------------------------------------------------------
// Processes

/** One redis-server / redis-sentinel / vigil process on its own address. */
export class Node {
  constructor(role, kind, host, port, dir, conf) {
    this.role = role; // "data" | "sentinel"
    this.kind = kind; // "redis" | "redis-sentinel" | "vigil"
    this.host = host;
    this.port = port;
    this.dir = dir;
    this.conf = conf;
    this.out = "";
    this.child = undefined;
    this.stopped = false;
    this.generation = 0;
  }

  get addr() {
    return `${this.host}:${this.port}`;
  }

  get label() {
    return `${this.kind} ${this.addr}`;
  }

  /** Spawn (or respawn, with the same config file) and wait for PING. */
  async start(timeoutMs = 30000) {
    installExitHook();
    const [bin, args] =
      this.kind === "vigil" ? [process.execPath, [VIGIL_BIN, this.conf]] : [requireTool(this.kind === "redis" ? "redis-server" : "redis-sentinel"), [this.conf]];
    if (this.kind === "vigil" && !existsSync(VIGIL_BIN)) throw new Error(`${VIGIL_BIN} is missing: run npx tsc -b first`);
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.generation++;
    this.out += `\n===== start #${this.generation} pid ${child.pid} at ${new Date().toISOString()} =====\n`;
    child.stdout.on("data", (d) => (this.out += d));
    child.stderr.on("data", (d) => (this.out += d));
    this.child = child;
    this.stopped = false;
    this.exit = new Promise((r) => child.once("exit", (code, sig) => r(code ?? sig)));
    live.nodes.add(this);
    await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.label} exited: ${this.out.slice(-2000)}`);
        return (await call(this.host, this.port, ["PING"])) === "PONG";
      },
      timeoutMs,
      50,
      `${this.label} PING`,
    );
    return this;
  }

  running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  pid() {
    return this.child?.pid;
  }

  signal(sig) {
    if (this.running()) this.child.kill(sig);
  }

  /** SIGSTOP: the process freezes, its sockets stay open. */
  pause() {
    this.signal("SIGSTOP");
    this.stopped = true;
  }

  /** SIGCONT after {@link pause}. */
  resume() {
    this.signal("SIGCONT");
    this.stopped = false;
  }

  /** kill -9 and wait for the exit. */
  async kill9() {
    if (!this.running()) return;
    this.child.kill("SIGCONT");
    this.child.kill("SIGKILL");
    await this.exit;
    this.stopped = false;
  }

  killSync() {
    if (!this.running()) return;
    try {
      this.child.kill("SIGCONT");
      this.child.kill("SIGKILL");
    } catch {
      // gone
    }
  }

  log() {
    return this.out;
  }
}

/** The lines of a data node's redis.conf. */
function redisConf(host, port, dir, replicaOf, extra) {
  return [
    `port ${port}`,
    `bind ${host}`,
    `bind-source-addr ${host}`,
    'save ""',
    "appendonly no",
    `dir ${dir}`,
    "protected-mode no",
    "repl-diskless-sync no",
    "repl-diskless-sync-delay 0",
    ...(replicaOf ? [`replicaof ${replicaOf.host} ${replicaOf.port}`] : []),
    ...extra,
  ];
}

/**
 * Start 1 master + `replicas` replicas and `sentinels` sentinels of `kind` ("vigil" | "redis"), each
 * on its own address of a fresh block, and wait until every sentinel knows every replica and peer.
 *
 * Options: name, quorum (2), downAfter (1000), failoverTimeout (3000), dataExtra (redis.conf lines
 * for every data node, e.g. min-replicas-to-write), sentinelExtra (sentinel.conf lines; `%NAME%` is
 * replaced by the master name), firewall (true).
 */
export async function startFaultCluster(opts = {}) {
  const kind = opts.kind ?? "vigil";
  const name = opts.name ?? "mymaster";
  const nRep = opts.replicas ?? 2;
  const nSen = opts.sentinels ?? 3;
  requireTool("redis-server");
  if (kind === "redis") requireTool("redis-sentinel");
  const block = allocateBlock();
  const cluster = { kind, name, block, fw: undefined, data: [], sentinels: [], dir: tempDir("vigil-faults-") };
  try {
    if (opts.firewall !== false) cluster.fw = new Firewall(block);
    const ports = await freePorts(1 + nRep + nSen);
    const master = { host: block.addr(11), port: ports[0] };
    for (let i = 0; i <= nRep; i++) {
      const host = block.addr(11 + i);
      const dir = join(cluster.dir, `data-${i}`);
      mkdirSync(dir);
      const conf = join(dir, "redis.conf");
      writeFileSync(conf, `${redisConf(host, ports[i], dir, i === 0 ? undefined : master, opts.dataExtra ?? []).join("\n")}\n`);
      cluster.data.push(new Node("data", "redis", host, ports[i], dir, conf));
    }
    await cluster.data[0].start();
    await Promise.all(cluster.data.slice(1).map((n) => n.start()));
    await waitFor(
      async () => {
        for (const r of cluster.data.slice(1)) if (!/master_link_status:up/.test(String(await call(r.host, r.port, ["INFO", "replication"])))) return false;
        return true;
      },
      20000,
      50,
      "replicas synced",
    );
    const extra = (opts.sentinelExtra ?? []).map((l) => l.replaceAll("%NAME%", name));
    for (let i = 0; i < nSen; i++) {
      const host = block.addr(21 + i);
      const port = ports[1 + nRep + i];
      const dir = join(cluster.dir, `sentinel-${i}`);
      mkdirSync(dir);
      const conf = join(dir, "sentinel.conf");
      const lines = [
        `port ${port}`,
        `bind ${host}`,
        `bind-source-addr ${host}`,
        `dir ${dir}`,
        `sentinel monitor ${name} ${master.host} ${master.port} ${opts.quorum ?? 2}`,
        `sentinel down-after-milliseconds ${name} ${opts.downAfter ?? 1000}`,
        `sentinel failover-timeout ${name} ${opts.failoverTimeout ?? 3000}`,
        ...extra,
      ];
      writeFileSync(conf, `${lines.join("\n")}\n`);
      cluster.sentinels.push(new Node("sentinel", kind === "vigil" ? "vigil" : "redis-sentinel", host, port, dir, conf));
    }
    await Promise.all(cluster.sentinels.map((s) => s.start()));
    await waitDiscovered(cluster);
    return cluster;
  } catch (e) {
    await stopFaultCluster(cluster);
    throw e;
  }
}

/** A flat `k v k v ...` reply as a record. */
export function pairs(flat) {
  const m = {};
  if (!Array.isArray(flat)) return m;
  for (let i = 0; i + 1 < flat.length; i += 2) m[String(flat[i])] = String(flat[i + 1]);
  return m;
}

/** Wait until every running sentinel knows every replica and every other sentinel, all healthy. */
export async function waitDiscovered(cluster, timeoutMs = 30000) {
  await waitFor(
    async () => {
      for (const s of cluster.sentinels) {
        const reps = await call(s.host, s.port, ["SENTINEL", "REPLICAS", cluster.name]);
        const sens = await call(s.host, s.port, ["SENTINEL", "SENTINELS", cluster.name]);
        if (reps.length !== cluster.data.length - 1 || sens.length !== cluster.sentinels.length - 1) return false;
        if ([...reps, ...sens].some((r) => /disconnected|s_down/.test(pairs(r).flags ?? ""))) return false;
        // Peers must be known at their own addresses (bind-source-addr at work).
        if (sens.some((r) => !cluster.sentinels.some((x) => x.host === pairs(r).ip && String(x.port) === pairs(r).port))) return false;
      }
      return true;
    },
    timeoutMs,
    100,
    "sentinels discovered replicas and peers",
  );
}

/** Kill every process of the cluster, remove its rules, its block and its files. */
export async function stopFaultCluster(cluster) {
  const nodes = [...cluster.data, ...cluster.sentinels];
  await Promise.all(nodes.map((n) => n.kill9()));
  for (const n of nodes) live.nodes.delete(n);
  cluster.fw?.closeSync();
  cluster.block.release();
  for (const n of nodes) {
    live.clients.get(n.addr)?.client.disconnect();
    live.clients.delete(n.addr);
  }
  rmSync(cluster.dir, { recursive: true, force: true });
  live.dirs.delete(cluster.dir);
}

/** Kill and remove everything this process started (afterAll). */
export async function cleanupAll() {
  await Promise.all([...live.nodes].map((n) => n.kill9()));
  live.nodes.clear();
  for (const fw of [...live.firewalls]) fw.closeSync();
  for (const b of [...live.blocks]) b.release();
  for (const d of live.dirs) rmSync(d, { recursive: true, force: true });
  live.dirs.clear();
  closeClients();
}

// ---------------------------------------------------------------------------------------------
// Topology

/** `ROLE` of a data node: "master", "slave <ip>:<port> <state>", or null when it does not answer. */
export async function roleOf(node) {
  try {
    const r = await call(node.host, node.port, ["ROLE"]);
    return r[0] === "master" ? "master" : `${r[0]} ${r[1]}:${r[2]} ${r[3]}`;
  } catch {
    return null;
  }
}

/** What each sentinel says the master is (`ip:port`), null for a sentinel that does not answer. */
export async function sentinelViews(cluster) {
  return Promise.all(
    cluster.sentinels.map(async (s) => {
      if (!s.running() || s.stopped) return null;
      try {
        const m = pairs(await call(s.host, s.port, ["SENTINEL", "MASTER", cluster.name]));
        return { addr: `${m.ip}:${m.port}`, flags: m.flags, configEpoch: Number(m["config-epoch"]) };
      } catch {
        return null;
      }
    }),
  );
}

/**
 * The healed state, or why not: every running sentinel answers with the same master address and
 * flags "master"; exactly one running data node is a master and it is that address; every other
 * running data node is a connected replica of it.
 */
export async function topologyProblems(cluster) {
  const problems = [];
  const views = await sentinelViews(cluster);
  const runningSentinels = cluster.sentinels.filter((s) => s.running() && !s.stopped);
  const seen = views.filter(Boolean);
  if (seen.length !== runningSentinels.length) problems.push(`${runningSentinels.length - seen.length} sentinel(s) did not answer`);
  const addrs = new Set(seen.map((v) => v.addr));
  if (addrs.size !== 1) problems.push(`sentinels disagree: ${views.map((v) => v?.addr ?? "-").join(", ")}`);
  for (const v of seen) if (v.flags !== "master") problems.push(`master flags ${v.flags}`);
  const epochs = new Set(seen.map((v) => v.configEpoch));
  if (epochs.size > 1) problems.push(`config epochs differ: ${seen.map((v) => v.configEpoch).join(", ")}`);
  const data = cluster.data.filter((n) => n.running() && !n.stopped);
  const roles = await Promise.all(data.map(roleOf));
  const masters = data.filter((_, i) => roles[i] === "master");
  if (masters.length !== 1) problems.push(`${masters.length} data nodes are masters: ${masters.map((m) => m.addr).join(", ")}`);
  const master = seen[0]?.addr;
  if (master !== undefined && masters.length === 1 && masters[0].addr !== master) problems.push(`sentinels say ${master}, the master is ${masters[0].addr}`);
  data.forEach((n, i) => {
    if (n.addr !== master && roles[i] !== `slave ${master} connected`) problems.push(`${n.addr} is ${roles[i] ?? "unreachable"}`);
  });
  return { master, problems, views, roles: Object.fromEntries(data.map((n, i) => [n.addr, roles[i]])) };
}

/** Wait for {@link topologyProblems} to report nothing; returns the master address. */
export async function waitHealed(cluster, timeoutMs = 60000) {
  let last;
  try {
    await waitFor(
      async () => {
        last = await topologyProblems(cluster);
        return last.problems.length === 0;
      },
      timeoutMs,
      100,
      "healed topology",
    );
  } catch (e) {
    throw new Error(`${e.message}; last state: ${JSON.stringify(last)}`);
  }
  return last.master;
}

/** The data node at `ip:port`. */
export function nodeAt(cluster, addr) {
  const n = [...cluster.data, ...cluster.sentinels].find((x) => x.addr === addr);
  if (!n) throw new Error(`no node at ${addr}`);
  return n;
}

/** The data node the sentinels currently agree is the master (throws without agreement). */
export async function currentMaster(cluster) {
  const views = (await sentinelViews(cluster)).filter(Boolean);
  const addrs = new Set(views.map((v) => v.addr));
  if (addrs.size !== 1) throw new Error(`no agreed master: ${[...addrs].join(", ")}`);
  return nodeAt(cluster, [...addrs][0]);
}

/**
 * Put a cluster back together between scenarios: remove every rule, SIGCONT paused processes,
 * restart dead sentinels (from their rewritten files) and dead data nodes as replicas of the master
 * the sentinels agree on, then wait for a healed topology with everyone discovered.
 */
export async function repair(cluster, timeoutMs = 60000) {
  cluster.fw?.heal();
  for (const n of [...cluster.data, ...cluster.sentinels]) if (n.stopped) n.resume();
  await Promise.all(cluster.sentinels.filter((s) => !s.running()).map((s) => s.start()));
  const master = await waitFor(
    async () => {
      const views = (await sentinelViews(cluster)).filter(Boolean);
      const addrs = new Set(views.map((v) => v.addr));
      if (views.length === 0 || addrs.size !== 1) return null;
      const m = nodeAt(cluster, [...addrs][0]);
      return m.running() && (await roleOf(m)) === "master" ? m : null;
    },
    timeoutMs,
    100,
    "an agreed, running master",
  );
  await Promise.all(cluster.data.filter((n) => !n.running()).map((n) => restartAsReplica(n, master)));
  await waitHealed(cluster, timeoutMs);
  await waitDiscovered(cluster, timeoutMs);
}

/** Start a dead data node again as a replica of `master` (its config file's replicaof replaced). */
export async function restartAsReplica(node, master) {
  const lines = readFileSync(node.conf, "utf8")
    .split("\n")
    .filter((l) => !/^\s*(replicaof|slaveof)\s/i.test(l));
  writeFileSync(node.conf, `${[...lines, `replicaof ${master.host} ${master.port}`].join("\n")}\n`);
  await node.start();
}

// ---------------------------------------------------------------------------------------------
// Writer and lost-write accounting

/**
 * An ioredis client with default options connected through the sentinels, adding a unique value to
 * a set every `everyMs` ms (not waiting for replies, like a busy application) and recording which
 * were acknowledged. `stop()` stops writing, waits up to `drainMs` for replies still pending, and
 * returns the counts.
 */
export function startWriter(cluster, opts = {}) {
  const key = opts.key ?? "vigil:writes";
  const everyMs = opts.everyMs ?? 5;
  // `followSwitch`: ioredis's failoverDetector, which subscribes to +switch-master on the sentinels
  // and moves to the new master at once (otherwise the client stays on a master until it drops it).
  const client = new Redis({
    sentinels: cluster.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: cluster.name,
    ...(opts.followSwitch ? { failoverDetector: true } : {}),
    ...(opts.redisOptions ?? {}),
  });
  client.on("error", () => {});
  const acked = [];
  /** Send and acknowledgement times of value v (ms since the writer started). */
  const sentAt = [];
  const ackAt = [];
  const errors = new Map();
  let refused = 0;
  const pending = new Set();
  const t0 = Date.now();
  const timer = setInterval(() => {
    const v = sentAt.length;
    sentAt.push(Date.now() - t0);
    const p = client.sadd(key, String(v)).then(
      () => {
        acked.push(v);
        ackAt[v] = Date.now() - t0;
      },
      (e) => {
        refused++;
        const m = String(e?.message ?? e).split(" ")[0];
        errors.set(m, (errors.get(m) ?? 0) + 1);
      },
    );
    pending.add(p);
    p.finally(() => pending.delete(p));
  }, everyMs);
  return {
    key,
    startedAt: t0,
    sent: () => sentAt.length,
    ackedCount: () => acked.length,
    refusedCount: () => refused,
    async stop(drainMs = 10000) {
      clearInterval(timer);
      await Promise.race([Promise.allSettled([...pending]), sleep(drainMs)]);
      const unknown = pending.size;
      client.disconnect();
      return { key, startedAt: t0, sent: sentAt.length, sentAt: [...sentAt], ackAt: [...ackAt], acked: [...acked], refused, unknown, errors: Object.fromEntries(errors) };
    },
  };
}

/**
 * Acknowledged values missing from the master at `node` (SMEMBERS after healing). `lossWindowMs` is
 * the time between sending the first and the last lost value: unlike the count, it does not depend
 * on how fast a loaded machine managed to write.
 */
export async function countLost(node, result, faultAt) {
  const members = new Set((await call(node.host, node.port, ["SMEMBERS", result.key], 10000)).map(Number));
  const lostValues = result.acked.filter((v) => !members.has(v)).sort((a, b) => a - b);
  const lossWindowMs = lostValues.length === 0 ? 0 : result.sentAt[lostValues.at(-1)] - result.sentAt[lostValues[0]];
  // Availability as a client sees it: the longest time without an acknowledgement of a write that
  // survived (acknowledged by the master that ended up in charge), from the fault to the end.
  let durableGapMs;
  if (faultAt !== undefined) {
    const from = faultAt - result.startedAt;
    const acks = result.acked
      .filter((v) => members.has(v))
      .map((v) => result.ackAt[v])
      .filter((t) => t >= from)
      .sort((a, b) => a - b);
    let prev = from;
    durableGapMs = 0;
    for (const t of acks) {
      durableGapMs = Math.max(durableGapMs, t - prev);
      prev = t;
    }
  }
  return { sent: result.sent, acked: result.acked.length, lost: lostValues.length, lossWindowMs, refused: result.refused, unknown: result.unknown, errors: result.errors, durableGapMs };
}

// ---------------------------------------------------------------------------------------------
// The Jepsen case, shared by the scenario test and bench/lost-writes.mjs

/**
 * The master is cut off from every sentinel and every replica for `cutMs` while one client (the
 * writer, on 127.0.0.1) still reaches it. Then heal, wait until the topology healed and the writer
 * has written to the new master for a second, and count acknowledged-but-lost writes.
 */
export async function runJepsen(cluster, opts = {}) {
  const cutMs = opts.cutMs ?? 6000;
  const writer = startWriter(cluster, { followSwitch: opts.followSwitch });
  await waitFor(() => writer.ackedCount() > 50, 15000, 20, "writer acknowledged writes");
  const oldMaster = await currentMaster(cluster);
  const others = [...cluster.sentinels, ...cluster.data.filter((n) => n !== oldMaster)].map((n) => n.host);
  const cutAt = Date.now();
  cluster.fw.cut(oldMaster.host, others);
  opts.onCut?.();
  await sleep(cutMs);
  cluster.fw.heal();
  const healedAt = Date.now();
  const master = await waitHealed(cluster, opts.healTimeoutMs ?? 60000);
  const convergedMs = Date.now() - healedAt;
  // Let the writer reach the new master and write there for a while.
  const before = writer.ackedCount();
  await waitFor(() => writer.ackedCount() > before + 100, 20000, 20, "writer resumed on the new master");
  const result = await writer.stop();
  const counts = await countLost(nodeAt(cluster, master), result, cutAt);
  return { ...counts, master, oldMaster: oldMaster.addr, failedOver: master !== oldMaster.addr, cutMs, convergedMs, totalMs: Date.now() - cutAt };
}
