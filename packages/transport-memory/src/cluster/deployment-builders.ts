import { type Address, createSentinelEngine, type KnownSentinel, type MasterSeed } from "@vigil/core";
import { SimClient } from "../client/sim-client.js";
import { Writer } from "../client/writer.js";
import type { Scheduler } from "../clock/scheduler.js";
import type { Network } from "../network/network.js";
import { SimRedis } from "../redis/sim-redis.js";
import type { EngineFactory } from "../sentinel/engine-like.js";
import { SentinelHost } from "../sentinel/sentinel-host.js";
import { randomRunId, streamPrng } from "../util/seeded.js";
import type { SimClusterOptions } from "./cluster-options.js";
import { groupName, type MasterGroup } from "./master-group.js";
import type { SimObserver } from "./observer.js";

/** What the builders wire every process to. */
export interface BuildContext {
  readonly scheduler: Scheduler;
  readonly network: Network;
  /** The cluster's observers (attached later too: read at each notification). */
  readonly observers: readonly SimObserver[];
  readonly trace: (line: string) => void;
}

/** The data nodes, `10.0.<group+1>.<i+1>:6379` (i = 0 is the initial master). */
export function buildGroups(ctx: BuildContext, options: SimClusterOptions): MasterGroup[] {
  const nSentinels = options.sentinels ?? 3;
  const quorum = options.quorum ?? Math.floor(nSentinels / 2) + 1;
  const nReplicas = options.replicasPerMaster ?? 2;
  const redisPrng = streamPrng(options.seed, "redis");
  const groups: MasterGroup[] = [];
  for (let g = 0; g < (options.masters ?? 1); g++) {
    const name = groupName(g);
    const nodes: SimRedis[] = [];
    const masterAddr: Address = { host: `10.0.${g + 1}.1`, port: 6379 };
    for (let i = 0; i <= nReplicas; i++) {
      const settings = {
        host: `10.0.${g + 1}.${i + 1}`,
        replicaOf: i === 0 ? null : masterAddr,
        replicaPriority: options.replicaPriority?.(g, i) ?? 100,
        replicaAnnounced: options.replicaAnnounced?.(g, i) ?? true,
        minReplicasToWrite: options.minReplicasToWrite ?? 0,
        minReplicasMaxLagS: options.minReplicasMaxLagS ?? 10,
        replTimeoutMs: options.replTimeoutMs ?? 5000,
      };
      const node = new SimRedis(ctx.scheduler, ctx.network, redisPrng, settings, {
        onPromoted: (n, origin, changedRole) => {
          for (const o of ctx.observers) o.onPromotion?.({ time: ctx.scheduler.now, node: n.key, master: name, origin, changedRole });
        },
        trace: ctx.trace,
      });
      nodes.push(node);
    }
    groups.push({ name, quorum, nodes, initialMaster: nodes[0]! });
  }
  return groups;
}

/** The sentinels' addresses, `10.0.100.<j+1>:26379`. */
export function sentinelAddresses(n: number): Address[] {
  return Array.from({ length: n }, (_, j) => ({ host: `10.0.100.${j + 1}`, port: 26379 }));
}

/** What every sentinel monitors at boot. */
function masterSeeds(options: SimClusterOptions, groups: readonly MasterGroup[], peers: KnownSentinel[]): MasterSeed[] {
  return groups.map((grp) => ({
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
}

/** One sentinel host per address, each with its own engine, all monitoring every group. */
export function buildSentinels(ctx: BuildContext, options: SimClusterOptions, groups: readonly MasterGroup[], addrs: readonly Address[]): SentinelHost[] {
  const ids = streamPrng(options.seed, "ids");
  const myIds = addrs.map(() => randomRunId(ids));
  const createEngine: EngineFactory = options.createEngine ?? createSentinelEngine;
  return addrs.map((addr, j) => {
    const peers: KnownSentinel[] = [];
    if (options.preconfigureSentinels ?? true) {
      for (let k = 0; k < addrs.length; k++) if (k !== j) peers.push({ ...addrs[k]!, runId: myIds[k]! });
    }
    const settings = {
      name: `s${j + 1}`,
      host: addr.host,
      port: addr.port,
      myId: myIds[j]!,
      createEngine,
      prng: streamPrng(options.seed, `engine-${j}`),
      timing: options.timing ?? "fast",
      masters: masterSeeds(options, groups, peers),
      tickMs: options.tickMs ?? 100,
      engineFaults: options.engineFaults,
      starvation: options.starvation ? { profile: options.starvation, prng: streamPrng(options.seed, `cpu-${j}`) } : undefined,
    };
    return new SentinelHost(ctx.scheduler, ctx.network, settings, {
      onOutput: (o) => {
        for (const obs of ctx.observers) obs.onSentinelOutput?.(o);
      },
      onPersist: (s, state, time) => {
        for (const obs of ctx.observers) obs.onPersist?.(s, state, time);
      },
      onRestart: (s, time) => {
        for (const obs of ctx.observers) obs.onSentinelRestart?.(s, time);
      },
      trace: ctx.trace,
    });
  });
}

/** The application: `writersPerMaster` writers a group, each on its own client host `10.0.200.<w+1>`. */
export function buildWriters(
  ctx: BuildContext,
  options: SimClusterOptions,
  groups: readonly MasterGroup[],
  sentinelAddrs: readonly Address[],
): { writers: Writer[]; clients: SimClient[] } {
  const writers: Writer[] = [];
  const clients: SimClient[] = [];
  const writerPrng = streamPrng(options.seed, "writers");
  const perGroup = options.writersPerMaster ?? 2;
  let w = 0;
  for (const grp of groups) {
    for (let i = 0; i < perGroup; i++, w++) {
      const client = new SimClient(ctx.scheduler, ctx.network, `10.0.200.${w + 1}`, { timeoutMs: options.clientTimeoutMs ?? 1000 });
      const order = sentinelAddrs.map((_, k) => sentinelAddrs[(k + w) % sentinelAddrs.length]!);
      const settings = { name: `w${w + 1}`, master: grp.name, sentinels: order, key: `${grp.name}:w${w + 1}`, firstId: (w + 1) * 1_000_000, intervalMs: options.writeIntervalMs ?? 100 };
      const writer = new Writer(ctx.scheduler, client, writerPrng, settings, (rec) => {
        for (const o of ctx.observers) o.onWrite?.(rec);
      });
      clients.push(client);
      writers.push(writer);
    }
  }
  return { writers, clients };
}
