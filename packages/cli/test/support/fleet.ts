// Mixed fleets of redis-sentinel and vigil daemons on loopback: one master + replicas, sentinels of
// either kind, a `PSUBSCRIBE *` event log on every sentinel, and the waits a failover test needs.
// Ports come from freePort(), files from temp dirs; close() kills everything this fleet started.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { oracleSentinel, type SentinelDialect } from "./oracles.js";
import { freePort, type Proc, requireBinary, restartRedis, sentinelConf, sleep, startRedis, startSentinel, tempDir, waitFor } from "./processes.js";
import { pairs, plain, RespConnection } from "./resp-client.js";

export type Kind = "vigil" | "redis";

export const MASTER_NAME = "mymaster";

/**
 * down-after-milliseconds for fleets with real Sentinels. Not 1000: a Sentinel that switches to a new
 * master resets its link timers but may not reconnect for up to its 1 s reconnect period (throttled
 * by the attempts at the dead old master), so with down-after ≤ 1000 it can see the new master SDOWN
 * right after the switch and — peers' master_down flags from the old master still being valid for
 * 5 s — fail it over again at once (see docs/compatibility.md, "Mixed fleets").
 */
export const DEFAULT_DOWN_AFTER = 2000;

/** One event as a `PSUBSCRIBE *` client sees it. */
export interface EventEntry {
  /** ms since the log was opened. */
  readonly at: number;
  readonly channel: string;
  readonly payload: string;
}

/** Every Pub/Sub message a sentinel publishes, from the moment the log is opened. */
export class EventLog {
  readonly entries: EventEntry[] = [];
  private readonly opened = Date.now();

  private constructor(private readonly conn: RespConnection) {}

  static async open(port: number): Promise<EventLog> {
    const conn = await RespConnection.open(port);
    const log = new EventLog(conn);
    const [confirm] = await conn.call(["PSUBSCRIBE", "*"]);
    const c = plain(confirm!);
    if (!Array.isArray(c) || c[0] !== "psubscribe") throw new Error(`PSUBSCRIBE * failed: ${JSON.stringify(c)}`);
    conn.onFrame((f) => {
      const v = plain(f);
      if (Array.isArray(v) && v[0] === "pmessage" && v.length === 4) log.entries.push({ at: Date.now() - log.opened, channel: String(v[2]), payload: String(v[3]) });
    });
    return log;
  }

  /** Position to pass to `since`. */
  mark(): number {
    return this.entries.length;
  }

  since(mark: number): EventEntry[] {
    return this.entries.slice(mark);
  }

  /** Waits until an entry after `mark` satisfies `pred`. */
  async waitFor(pred: (e: EventEntry) => boolean, mark = 0, timeoutMs = 30000): Promise<EventEntry> {
    return waitFor(() => this.entries.slice(mark).find(pred), timeoutMs, 25);
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  close(): void {
    this.conn.close();
  }
}

/** One sentinel process of the fleet. */
export interface Member {
  readonly kind: Kind;
  readonly port: number;
  readonly conf: string;
  readonly args: readonly string[];
  proc: Proc;
  events: EventLog;
  /** `SENTINEL MYID`. */
  myId: string;
}

/** Runs one command on a fresh connection; errors come back as Error values, not exceptions. */
export async function ask(port: number, ...args: (string | number)[]): Promise<unknown> {
  const c = await RespConnection.open(port);
  try {
    return plain(await c.one(...args));
  } finally {
    c.close();
  }
}

/** `SENTINEL <sub> <name>` as a list of field maps. */
export async function instances(port: number, sub: "replicas" | "sentinels" | "masters"): Promise<Record<string, string>[]> {
  const c = await RespConnection.open(port);
  try {
    const r = await c.one("SENTINEL", sub, ...(sub === "masters" ? [] : [MASTER_NAME]));
    if (r.t !== "array") throw new Error(`SENTINEL ${sub}: ${JSON.stringify(plain(r))}`);
    return r.v.map((x) => Object.fromEntries(pairs(x)));
  } finally {
    c.close();
  }
}

export async function masterInfo(port: number): Promise<Record<string, string>> {
  const c = await RespConnection.open(port);
  try {
    const r = await c.one("SENTINEL", "MASTER", MASTER_NAME);
    if (r.t === "error") throw new Error(r.v);
    return Object.fromEntries(pairs(r));
  } finally {
    c.close();
  }
}

/** The master port a sentinel reports (GET-MASTER-ADDR-BY-NAME), or null. */
export async function reportedMaster(port: number): Promise<number | null> {
  const r = await ask(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
  return Array.isArray(r) && r.length === 2 ? Number(r[1]) : null;
}

/** `sentinel current-epoch` as last persisted in a config file. */
export function persistedEpoch(conf: string): number {
  const m = /^sentinel current-epoch (\d+)$/m.exec(readFileSync(conf, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** Options of {@link Fleet.start}. */
export interface FleetOptions {
  readonly replicas?: number;
  readonly quorum?: number;
  readonly downAfter?: number;
  readonly failoverTimeout?: number;
  /** Extra command-line arguments for vigil daemons (e.g. `--vigil-timing sentinel`). */
  readonly vigilArgs?: readonly string[];
  /** Extra lines for every sentinel's config file (shared format: no vigil-* directives). */
  readonly extraConf?: readonly string[];
  /**
   * The Sentinel imitated: "redis" members are its oracle (support/oracles.ts), vigil members run
   * with `--vigil-dialect`. Absent: Debian's redis-sentinel and vigil's default.
   */
  readonly dialect?: SentinelDialect;
}

/** A master, its replicas and a set of sentinels of both kinds. */
export class Fleet {
  readonly dir = tempDir("vigil-fleet-");
  /** Data nodes by port. */
  readonly redis = new Map<number, Proc>();
  readonly members: Member[] = [];
  masterPort = 0;
  private constructor(readonly options: FleetOptions) {}

  /** Starts the data nodes and one sentinel per entry of `kinds`, then waits until all see each other. */
  static async start(kinds: readonly Kind[], options: FleetOptions = {}): Promise<Fleet> {
    requireBinary("redis-server");
    if (options.dialect === undefined) requireBinary("redis-sentinel");
    else oracleSentinel(options.dialect);
    const f = new Fleet(options);
    try {
      const masterPort = await freePort();
      f.redis.set(masterPort, await startRedis(masterPort));
      f.masterPort = masterPort;
      for (let i = 0; i < (options.replicas ?? 2); i++) {
        const p = await freePort();
        f.redis.set(p, await startRedis(p, { replicaOf: masterPort }));
      }
      await waitFor(async () => {
        const info = String(await ask(masterPort, "INFO", "replication"));
        return (info.match(/^slave\d+:.*state=online/gm) ?? []).length === (options.replicas ?? 2);
      }, 20000);
      for (const kind of kinds) await f.add(kind);
      await f.waitHealthy();
    } catch (e) {
      await f.close();
      throw e;
    }
    return f;
  }

  /** Writes a fresh config for a new sentinel (shared format: no vigil-* directives). */
  newConf(port: number): string {
    return sentinelConf(this.dir, port, this.masterPort, {
      quorum: this.options.quorum ?? 2,
      downAfter: this.options.downAfter ?? DEFAULT_DOWN_AFTER,
      failoverTimeout: this.options.failoverTimeout ?? 10000,
      extra: [...(this.options.extraConf ?? [])],
    });
  }

  /** Starts a sentinel of `kind` on `conf` (a new file by default) and opens its event log. */
  async add(kind: Kind, existing?: { conf: string; port: number }): Promise<Member> {
    const port = existing?.port ?? (await freePort());
    const conf = existing?.conf ?? this.newConf(port);
    const args = kind === "vigil" ? [...(this.options.vigilArgs ?? [])] : [];
    const proc = await startSentinel(kind, conf, port, args, undefined, this.options.dialect);
    const events = await EventLog.open(port);
    const myId = String(await ask(port, "SENTINEL", "MYID"));
    const m: Member = { kind, port, conf, args, proc, events, myId };
    this.members.push(m);
    return m;
  }

  /** Stops one sentinel (SIGTERM, then SIGKILL after 5 s) and forgets it; its config file stays. */
  async remove(m: Member, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    m.events.close();
    m.proc.kill(signal);
    const t = setTimeout(() => m.proc.kill("SIGKILL"), 5000);
    await m.proc.exited();
    clearTimeout(t);
    this.members.splice(this.members.indexOf(m), 1);
  }

  /** Every member reports `port` as the master. */
  async agreeOn(port = this.masterPort, timeoutMs = 30000): Promise<void> {
    await waitFor(async () => {
      for (const m of this.members) if ((await reportedMaster(m.port)) !== port) return false;
      return true;
    }, timeoutMs, 100);
  }

  /**
   * Steady state: every sentinel reports the same master, healthy (flags exactly `master`), every
   * replica connected to it with its link up, and every other member listed without flags.
   */
  async waitHealthy(timeoutMs = 40000): Promise<void> {
    const replicas = [...this.redis.keys()].filter((p) => p !== this.masterPort).length;
    let last = "";
    try {
      await waitFor(async () => {
        for (const m of this.members) {
          const master = await masterInfo(m.port);
          if (Number(master.port) !== this.masterPort || master.flags !== "master") return !(last = `${m.kind}:${m.port} master ${master.port} ${master.flags}`);
          const rs = await instances(m.port, "replicas");
          const good = rs.filter((r) => r.flags === "slave" && r["master-link-status"] === "ok" && Number(r["master-port"]) === this.masterPort);
          if (good.length !== replicas) return !(last = `${m.kind}:${m.port} replicas ${JSON.stringify(rs.map((r) => [r.port, r.flags, r["master-link-status"], r["master-port"]]))}`);
          const ss = await instances(m.port, "sentinels");
          const others = this.members.filter((o) => o !== m).map((o) => o.myId);
          const seen = ss.filter((s) => s.flags === "sentinel").map((s) => s.runid);
          if (!others.every((id) => seen.includes(id))) return !(last = `${m.kind}:${m.port} sentinels ${JSON.stringify(ss.map((s) => [s.port, s.flags]))}`);
        }
        return true;
      }, timeoutMs, 200);
    } catch (e) {
      throw new Error(`fleet not healthy: ${last} (${(e as Error).message})\n${this.recentEvents()}`);
    }
  }

  /**
   * Makes `leader` the first (and only) sentinel to reach ODOWN after the master dies: it gets
   * down-after `fast` ms and quorum 1, the others `slow` ms and the configured quorum. The election
   * itself is unchanged (a majority of the fleet must vote for it).
   */
  async steer(leader: Member | null, fast = DEFAULT_DOWN_AFTER, slow = 4 * DEFAULT_DOWN_AFTER): Promise<void> {
    for (const m of this.members) {
      const lead = leader === null || m === leader;
      const r = await ask(m.port, "SENTINEL", "SET", MASTER_NAME, "down-after-milliseconds", lead ? fast : slow, "quorum", lead ? (leader === null ? (this.options.quorum ?? 2) : 1) : (this.options.quorum ?? 2));
      if (r !== "OK") throw new Error(`SENTINEL SET on ${m.kind}:${m.port}: ${String(r)}`);
    }
  }

  /** Kills the master (SIGKILL) and returns its process. */
  killMaster(): Proc {
    const p = this.redis.get(this.masterPort)!;
    p.kill("SIGKILL");
    return p;
  }

  /**
   * Waits until every member agrees on a new master, records it, restarts the old master as a
   * replica of it and waits for the steady state again. Returns the new master port. The default
   * timeout leaves room for one split vote (election timeout, then 2 × failover-timeout).
   */
  async completeFailover(old: Proc, marks?: Map<Member, number>, timeoutMs = 90000): Promise<number> {
    const before = this.masterPort;
    let agreed = 0;
    try {
      agreed = await waitFor(async () => {
        const ports = await Promise.all(this.members.map((m) => reportedMaster(m.port).catch(() => null)));
        const first = ports[0];
        return first && first !== before && ports.every((p) => p === first) ? first : 0;
      }, timeoutMs, 100);
    } catch (e) {
      const reports = await Promise.all(this.members.map(async (m) => `${m.kind}:${m.port}=${await reportedMaster(m.port).catch(() => "?")}`));
      throw new Error(`no agreed new master (${reports.join(" ")}): ${(e as Error).message}`);
    }
    this.masterPort = agreed;
    // Every member has ended its part (leader: +failover-end then +switch-master; observers: the
    // hello-driven +switch-master) before the old master comes back.
    if (marks) {
      for (const m of this.members) {
        await m.events.waitFor((e) => e.channel === "+switch-master" && e.payload.endsWith(` ${agreed}`), marks.get(m) ?? 0, timeoutMs);
      }
    }
    await old.exited();
    this.redis.set(before, await restartAsReplica(old, agreed));
    await this.waitHealthy();
    return agreed;
  }

  /** The last events of every member, for failure messages. */
  recentEvents(n = 60): string {
    return this.members.map((m) => `${m.kind}:${m.port} (${m.myId.slice(0, 8)})\n  ${m.events.entries.slice(-n).map((e) => `${e.at} ${e.channel} ${e.payload}`).join("\n  ")}`).join("\n");
  }

  /** Stops `m` and starts a sentinel of `kind` on the very same config file and port. */
  async replace(m: Member, kind: Kind): Promise<Member> {
    await this.remove(m);
    return this.add(kind, { conf: m.conf, port: m.port });
  }

  /** Everything that was published since the marks, per member. */
  marks(): Map<Member, number> {
    return new Map(this.members.map((m) => [m, m.events.mark()]));
  }

  async close(): Promise<void> {
    for (const m of this.members) {
      m.events.close();
      m.proc.kill("SIGKILL");
    }
    for (const p of this.redis.values()) p.kill("SIGKILL");
    await Promise.all([...this.members.map((m) => m.proc.exited()), ...[...this.redis.values()].map((p) => p.exited())]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Restarts a killed redis-server as a replica of `masterPort` (its config file is rewritten first). */
export async function restartAsReplica(old: Proc, masterPort: number): Promise<Proc> {
  const path = join(old.dir, "redis.conf");
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => !/^\s*(replicaof|slaveof)\s/i.test(l));
  lines.push(`replicaof 127.0.0.1 ${masterPort}`, "");
  writeFileSync(path, lines.join("\n"));
  const p = await restartRedis(old);
  await waitFor(async () => /master_link_status:up/.test(String(await ask(old.port, "INFO", "replication"))), 20000);
  return p;
}

/** Events of one type (channel) since a mark. */
export function ofType(entries: readonly EventEntry[], type: string): EventEntry[] {
  return entries.filter((e) => e.channel === type);
}

/** `+sdown`/`+odown` about a master instance (payload starts with `master `). */
export function masterDownEvents(entries: readonly EventEntry[]): EventEntry[] {
  return entries.filter((e) => (e.channel === "+sdown" || e.channel === "+odown") && e.payload.startsWith("master "));
}

export { sleep };
