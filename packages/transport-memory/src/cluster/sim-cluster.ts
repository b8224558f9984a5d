import { addressKey, type SwitchoverOptions } from "@vigil/core";
import type { SimClient } from "../client/sim-client.js";
import type { Writer } from "../client/writer.js";
import { Scheduler } from "../clock/scheduler.js";
import type { LinkProfile } from "../network/link-profile.js";
import { Network } from "../network/network.js";
import type { SimRedis } from "../redis/sim-redis.js";
import type { SentinelHost } from "../sentinel/sentinel-host.js";
import { streamPrng } from "../util/seeded.js";
import { DEFAULT_START_TIME, type SimClusterOptions } from "./cluster-options.js";
import { type BuildContext, buildGroups, buildSentinels, buildWriters, sentinelAddresses } from "./deployment-builders.js";
import type { MasterGroup } from "./master-group.js";
import type { SimObserver } from "./observer.js";
import type { ClusterProbe, DataNodeState } from "./probe.js";
import { formatElapsed, type TraceSink } from "./trace.js";
import { traceObserver } from "./trace-observer.js";

export { groupName, type MasterGroup } from "./master-group.js";

/**
 * A whole simulated deployment on one virtual clock: data nodes in master groups, sentinels each
 * running its own engine, application writers, and the network between all of them. Faults are
 * methods; observers (checkers, statistics, traces) are attached with {@link observe}.
 *
 * Hosts are named like a LAN: data nodes `10.0.<group+1>.<i+1>:6379` (i = 0 is the initial master),
 * sentinels `10.0.100.<j+1>:26379`, clients `10.0.200.<w+1>`.
 */
export class SimCluster implements ClusterProbe {
  readonly scheduler: Scheduler;
  readonly network: Network;
  readonly groups: readonly MasterGroup[];
  readonly redis: readonly SimRedis[];
  readonly sentinels: readonly SentinelHost[];
  readonly writers: readonly Writer[];
  readonly clients: readonly SimClient[];
  readonly startTime: number;
  readonly options: SimClusterOptions;
  private readonly observers: SimObserver[] = [];
  private readonly traceSink: TraceSink | undefined;
  private readonly groupOfNode = new Map<string, string>();

  constructor(options: SimClusterOptions) {
    this.options = options;
    const seed = options.seed;
    this.startTime = options.startTime ?? DEFAULT_START_TIME;
    this.scheduler = new Scheduler(this.startTime);
    this.network = new Network(this.scheduler, streamPrng(seed, "network"), options.network);
    this.traceSink = options.trace;
    const ctx: BuildContext = { scheduler: this.scheduler, network: this.network, observers: this.observers, trace: (line) => this.trace(line) };
    this.groups = buildGroups(ctx, options);
    this.redis = this.groups.flatMap((g) => g.nodes);
    for (const g of this.groups) for (const n of g.nodes) this.groupOfNode.set(n.key, g.name);
    const sentinelAddrs = sentinelAddresses(options.sentinels ?? 3);
    this.sentinels = buildSentinels(ctx, options, this.groups, sentinelAddrs);
    const { writers, clients } = buildWriters(ctx, options, this.groups, sentinelAddrs);
    this.writers = writers;
    this.clients = clients;
    if (this.traceSink) this.observe(traceObserver((line) => this.trace(line)));
  }

  /** Start the sentinels (and, unless `writers` is false, the writers after `writersDelayMs`). */
  start(opts: { writers?: boolean; writersDelayMs?: number } = {}): void {
    for (const s of this.sentinels) s.start();
    if (opts.writers ?? true) for (const w of this.writers) w.start(opts.writersDelayMs ?? 500);
  }

  /** Attach an observer (checkers, statistics, traces). */
  observe(o: SimObserver): void {
    this.observers.push(o);
  }

  /** Virtual time (ms since the Unix epoch). */
  get now(): number {
    return this.scheduler.now;
  }

  /** Virtual time since the start of the run (ms). */
  get elapsed(): number {
    return this.scheduler.now - this.startTime;
  }

  /** Advance virtual time by `ms`, running every event on the way. */
  run(ms: number): void {
    this.scheduler.runUntil(this.now + ms);
  }

  /**
   * Run until `pred()` holds (checked after every event) or `maxMs` elapsed. Returns whether the
   * predicate held.
   */
  runUntil(pred: () => boolean, maxMs: number): boolean {
    if (pred()) return true;
    let met = false;
    this.scheduler.runUntil(this.now + maxMs, () => (met = pred()));
    return met;
  }

  /**
   * Advance virtual time until `promise` settles (for Promise-based code under test, e.g.
   * {@link SimClient.call}): runs `stepMs` at a time and lets pending promise callbacks run between
   * steps. Rejects if it has not settled after `maxMs` of virtual time.
   */
  async settle<T>(promise: Promise<T>, maxMs = 10_000, stepMs = 10): Promise<T> {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    const deadline = this.now + maxMs;
    while (!done && this.now < deadline) {
      this.run(stepMs);
      // Let the promise callbacks scheduled by this step run before deciding.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!done) throw new Error(`not settled after ${maxMs} ms of virtual time`);
    return promise;
  }

  /** Emit a time-stamped trace line (no-op without a trace sink). */
  trace(line: string): void {
    if (this.traceSink) this.traceSink(`${formatElapsed(this.elapsed)} ${line}`);
  }

  /** Whether tracing is on (to skip building expensive lines). */
  get tracing(): boolean {
    return this.traceSink !== undefined;
  }

  // ------------------------------------------------------------------ lookups

  /** The data node at `host:port` (or host). */
  node(key: string): SimRedis {
    const n = this.redis.find((r) => r.key === key || r.host === key);
    if (!n) throw new Error(`no data node ${key}`);
    return n;
  }

  /** The sentinel named `s1`, `s2`, ... */
  sentinel(name: string): SentinelHost {
    const s = this.sentinels.find((x) => x.name === name);
    if (!s) throw new Error(`no sentinel ${name}`);
    return s;
  }

  /** A master group by name. */
  group(name: string): MasterGroup {
    const g = this.groups.find((x) => x.name === name);
    if (!g) throw new Error(`no master group ${name}`);
    return g;
  }

  /** The group a data node belongs to. */
  groupOf(nodeKey: string): string | undefined {
    return this.groupOfNode.get(nodeKey);
  }

  /**
   * The node most live sentinels currently report as master of `group` (ties: the first node in
   * group order); if no sentinel runs, the first live node whose role is master.
   */
  reportedMaster(group: string): SimRedis | undefined {
    const g = this.group(group);
    const votes = new Map<string, number>();
    for (const s of this.sentinels) {
      const a = s.engineOrNull?.getMasterAddrByName(group);
      if (a) votes.set(addressKey(a), (votes.get(addressKey(a)) ?? 0) + 1);
    }
    let best: SimRedis | undefined;
    let bestVotes = 0;
    for (const n of g.nodes) {
      const v = votes.get(n.key) ?? 0;
      if (v > bestVotes) {
        best = n;
        bestVotes = v;
      }
    }
    return best ?? g.nodes.find((n) => n.alive && n.role === "master");
  }

  /** Every host of the deployment: data nodes, sentinels, clients. */
  hosts(): string[] {
    return [...this.redis.map((r) => r.host), ...this.sentinels.map((s) => s.host), ...this.clients.map((c) => c.host)];
  }

  // ------------------------------------------------------------------ ClusterProbe

  /** Names of the master groups. */
  groupNames(): readonly string[] {
    return this.groups.map((g) => g.name);
  }

  /** Running sentinels with their engines. */
  liveSentinels(): { ref: SentinelHost; engine: NonNullable<SentinelHost["engineOrNull"]> }[] {
    const out: { ref: SentinelHost; engine: NonNullable<SentinelHost["engineOrNull"]> }[] = [];
    for (const s of this.sentinels) {
      const e = s.engineOrNull;
      if (s.alive && e) out.push({ ref: s, engine: e });
    }
    return out;
  }

  /** State of every data node of a group. */
  dataNodes(group: string): DataNodeState[] {
    return this.group(group).nodes.map((n) => ({
      key: n.key,
      alive: n.alive,
      paused: n.paused,
      role: n.role,
      masterKey: n.masterAddr ? addressKey(n.masterAddr) : null,
      linkUp: n.masterLinkUp,
    }));
  }

  // ------------------------------------------------------------------ faults

  /** Kill a data node's process. */
  crashRedis(key: string): void {
    this.node(key).crash();
  }

  /** Restart a data node, with or without its dataset. */
  restartRedis(key: string, keepData: boolean): void {
    this.node(key).restart(keepData);
  }

  /** SIGSTOP a data node. */
  pauseRedis(key: string): void {
    this.node(key).pause();
  }

  /** SIGCONT a data node. */
  resumeRedis(key: string): void {
    this.node(key).resume();
  }

  /** Kill a sentinel process (its disk survives). */
  crashSentinel(name: string): void {
    this.sentinel(name).crash();
  }

  /** Start a crashed sentinel again from its disk. */
  restartSentinel(name: string): void {
    this.sentinel(name).start();
  }

  /** Move a sentinel's clock (TILT when more than the tilt trigger, or backwards). */
  jumpClock(name: string, deltaMs: number): void {
    this.sentinel(name).jumpClock(deltaMs);
  }

  /** Split hosts into groups that cannot talk to each other. */
  partition(groups: readonly (readonly string[])[]): void {
    this.network.partition(groups);
    this.trace(`network partition: ${this.network.topology.describe()}`);
  }

  /** Remove the partition (one-way cuts stay). */
  healPartition(): void {
    this.network.partition([]);
    this.trace("network partition healed");
  }

  /** Block one direction between two hosts. */
  cut(from: string, to: string): void {
    this.network.cut(from, to);
    this.trace(`network cut ${from} -> ${to}`);
  }

  /** Reopen one direction between two hosts. */
  restore(from: string, to: string): void {
    this.network.restore(from, to);
    this.trace(`network cut ${from} -> ${to} restored`);
  }

  /** Heal every partition and cut. */
  healNetwork(): void {
    this.network.heal();
    this.trace("network healed");
  }

  /** Degrade the link between two hosts, both directions. */
  degradeLink(a: string, b: string, profile: LinkProfile): void {
    this.network.setProfile(a, b, profile);
    this.network.setProfile(b, a, profile);
  }

  /** Back to healthy links everywhere. */
  restoreLinks(): void {
    this.network.clearProfiles();
  }

  /** Reset every connection of a host. */
  resetConnections(host: string): void {
    const n = this.network.resetConnectionsOf(host);
    this.trace(`reset ${n} connections of ${host}`);
  }

  /** `SENTINEL FAILOVER <group> [COORDINATED]` on one sentinel. */
  failover(sentinel: string, group: string, coordinated?: SwitchoverOptions): string {
    const result = this.sentinel(sentinel).failover(group, coordinated);
    this.trace(`SENTINEL FAILOVER ${group}${coordinated ? " COORDINATED" : ""} on ${sentinel}: ${result}`);
    return result;
  }
}
