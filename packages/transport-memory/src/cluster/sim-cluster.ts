import { type Address, addressKey, createSentinelEngine, type KnownSentinel, type MasterSeed, type SwitchoverOptions } from "@vigil/core";
import { SimClient } from "../client/sim-client.js";
import { Writer } from "../client/writer.js";
import { Scheduler } from "../clock/scheduler.js";
import type { LinkProfile } from "../network/link-profile.js";
import { Network } from "../network/network.js";
import { SimRedis } from "../redis/sim-redis.js";
import type { EngineFactory } from "../sentinel/engine-like.js";
import { SentinelHost } from "../sentinel/sentinel-host.js";
import { randomRunId, streamPrng } from "../util/seeded.js";
import { DEFAULT_START_TIME, type SimClusterOptions } from "./cluster-options.js";
import type { SimObserver } from "./observer.js";
import type { ClusterProbe, DataNodeState } from "./probe.js";
import { formatElapsed, type TraceSink } from "./trace.js";

/** One monitored master group: its name, quorum and data nodes (the initial master first). */
export interface MasterGroup {
  readonly name: string;
  readonly quorum: number;
  readonly nodes: readonly SimRedis[];
  readonly initialMaster: SimRedis;
}

/** The name of group `g`: `mymaster`, `mymaster2`, ... */
export function groupName(g: number): string {
  return g === 0 ? "mymaster" : `mymaster${g + 1}`;
}

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
    const nSentinels = options.sentinels ?? 3;
    const nGroups = options.masters ?? 1;
    const nReplicas = options.replicasPerMaster ?? 2;
    const quorum = options.quorum ?? Math.floor(nSentinels / 2) + 1;
    const redisPrng = streamPrng(seed, "redis");
    const ids = streamPrng(seed, "ids");

    const groups: MasterGroup[] = [];
    const redis: SimRedis[] = [];
    for (let g = 0; g < nGroups; g++) {
      const name = groupName(g);
      const nodes: SimRedis[] = [];
      const masterAddr: Address = { host: `10.0.${g + 1}.1`, port: 6379 };
      for (let i = 0; i <= nReplicas; i++) {
        const node = new SimRedis(
          this.scheduler,
          this.network,
          redisPrng,
          {
            host: `10.0.${g + 1}.${i + 1}`,
            replicaOf: i === 0 ? null : masterAddr,
            replicaPriority: options.replicaPriority?.(g, i) ?? 100,
            replicaAnnounced: options.replicaAnnounced?.(g, i) ?? true,
            minReplicasToWrite: options.minReplicasToWrite ?? 0,
            minReplicasMaxLagS: options.minReplicasMaxLagS ?? 10,
            replTimeoutMs: options.replTimeoutMs ?? 5000,
          },
          {
            onPromoted: (n, origin, changedRole) => {
              for (const o of this.observers) o.onPromotion?.({ time: this.now, node: n.key, master: name, origin, changedRole });
            },
            trace: (line) => this.trace(line),
          },
        );
        nodes.push(node);
        redis.push(node);
        this.groupOfNode.set(node.key, name);
      }
      groups.push({ name, quorum, nodes, initialMaster: nodes[0]! });
    }
    this.groups = groups;
    this.redis = redis;

    const sentinelAddrs: Address[] = [];
    const myIds: string[] = [];
    for (let j = 0; j < nSentinels; j++) {
      sentinelAddrs.push({ host: `10.0.100.${j + 1}`, port: 26379 });
      myIds.push(randomRunId(ids));
    }
    const createEngine: EngineFactory = options.createEngine ?? createSentinelEngine;
    const sentinels: SentinelHost[] = [];
    for (let j = 0; j < nSentinels; j++) {
      const peers: KnownSentinel[] = [];
      if (options.preconfigureSentinels ?? true) {
        for (let k = 0; k < nSentinels; k++) if (k !== j) peers.push({ ...sentinelAddrs[k]!, runId: myIds[k]! });
      }
      const masters: MasterSeed[] = groups.map((grp) => ({
        settings: {
          name: grp.name,
          host: grp.initialMaster.addr.host,
          port: grp.initialMaster.addr.port,
          quorum: grp.quorum,
          downAfterMs: options.downAfterMs ?? 1000,
          failoverTimeoutMs: options.failoverTimeoutMs ?? 5000,
          parallelSyncs: options.parallelSyncs ?? 1,
          crashDownAfterMs: options.crashDownAfterMs ?? 0,
        },
        knownReplicas: (options.preconfigureReplicas ?? true) ? grp.nodes.slice(1).map((n) => n.addr) : [],
        knownSentinels: peers,
      }));
      const host = new SentinelHost(
        this.scheduler,
        this.network,
        {
          name: `s${j + 1}`,
          host: sentinelAddrs[j]!.host,
          port: sentinelAddrs[j]!.port,
          myId: myIds[j]!,
          createEngine,
          prng: streamPrng(seed, `engine-${j}`),
          timing: options.timing ?? "fast",
          masters,
          tickMs: options.tickMs ?? 100,
          engineFaults: options.engineFaults,
          starvation: options.starvation ? { profile: options.starvation, prng: streamPrng(seed, `cpu-${j}`) } : undefined,
        },
        {
          onOutput: (o) => {
            for (const obs of this.observers) obs.onSentinelOutput?.(o);
          },
          onPersist: (s, state, time) => {
            for (const obs of this.observers) obs.onPersist?.(s, state, time);
          },
          onRestart: (s, time) => {
            for (const obs of this.observers) obs.onSentinelRestart?.(s, time);
          },
          trace: (line) => this.trace(line),
        },
      );
      sentinels.push(host);
    }
    this.sentinels = sentinels;

    const writers: Writer[] = [];
    const clients: SimClient[] = [];
    const writerPrng = streamPrng(seed, "writers");
    const perGroup = options.writersPerMaster ?? 2;
    let w = 0;
    for (const grp of groups) {
      for (let i = 0; i < perGroup; i++, w++) {
        const client = new SimClient(this.scheduler, this.network, `10.0.200.${w + 1}`, { timeoutMs: options.clientTimeoutMs ?? 1000 });
        const order = sentinelAddrs.map((_, k) => sentinelAddrs[(k + w) % sentinelAddrs.length]!);
        const writer = new Writer(
          this.scheduler,
          client,
          writerPrng,
          { name: `w${w + 1}`, master: grp.name, sentinels: order, key: `${grp.name}:w${w + 1}`, firstId: (w + 1) * 1_000_000, intervalMs: options.writeIntervalMs ?? 100 },
          (rec) => {
            for (const o of this.observers) o.onWrite?.(rec);
          },
        );
        clients.push(client);
        writers.push(writer);
      }
    }
    this.writers = writers;
    this.clients = clients;
    if (this.traceSink) this.observe(this.traceObserver());
  }

  /**
   * Trace lines for engine events (all but DEBUG) and for changes in each writer's fortune: the
   * first failure of a streak and the first success after one (not every write).
   */
  private traceObserver(): SimObserver {
    const last = new Map<string, string>();
    return {
      onSentinelOutput: (o) => {
        for (const e of o.output.events) if (e.level !== "debug") this.trace(`${o.sentinel.name} ${e.type} ${e.payload}`);
      },
      onWrite: (w) => {
        const state = `${w.node} ${w.outcome === "ok" ? "ok" : w.outcome}`;
        if (last.get(w.writer) === state) return;
        const first = !last.has(w.writer);
        last.set(w.writer, state);
        if (first && w.outcome === "ok") return;
        this.trace(`client ${w.writer} ${w.outcome === "ok" ? "writes acknowledged again" : "write failed"} on ${w.node}${w.outcome === "ok" ? "" : `: ${w.outcome}`} (id ${w.id})`);
      },
    };
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
