import type { Address } from "@vigil/core";
import type { ReconfigureOrigin } from "./protocol.js";
import type { SimRedis } from "./sim-redis.js";

/** Configuration of one simulated Redis server. */
export interface SimRedisOptions {
  /** The host (machine) it runs on; partitions act on hosts. */
  readonly host: string;
  /** Listening port. Default 6379. */
  readonly port?: number;
  /** `replicaof` in its config file; `null`/absent = starts as a master. */
  readonly replicaOf?: Address | null;
  /** `replica-priority` (INFO `slave_priority`). Default 100; 0 = never promote. */
  readonly replicaPriority?: number;
  /** `replica-announced`. Default true. */
  readonly replicaAnnounced?: boolean;
  /** `min-replicas-to-write`. Default 0 (off). */
  readonly minReplicasToWrite?: number;
  /** `min-replicas-max-lag` in seconds. Default 10. */
  readonly minReplicasMaxLagS?: number;
  /** `requirepass`. Default none. */
  readonly requirePass?: string;
  /**
   * `repl-timeout` (ms). Default 5000: shorter than Redis's 60 s so that a replica notices a silent
   * master within a simulated run; both sides use it, as in Redis.
   */
  readonly replTimeoutMs?: number;
  /** `repl-ping-replica-period` (ms). Default 1000 (Redis: 10 s). */
  readonly replPingPeriodMs?: number;
  /** How long a restart with data answers `-LOADING` (ms). Default 200. */
  readonly loadingMs?: number;
}

/** Callbacks the cluster uses to observe a server (checkers, traces). */
export interface SimRedisHooks {
  /** `SLAVEOF NO ONE` was applied by a reconfiguration transaction. */
  onPromoted?(node: SimRedis, origin: ReconfigureOrigin | undefined, changedRole: boolean): void;
  /** A line for the trace. */
  trace?(line: string): void;
}

/** The options with their defaults filled in. */
export type ResolvedSimRedisOptions = Required<Omit<SimRedisOptions, "replicaOf" | "requirePass">> &
  Pick<SimRedisOptions, "requirePass"> & { readonly replicaOf: Address | null };

/** Fill in the defaults documented on {@link SimRedisOptions}. */
export function resolveSimRedisOptions(o: SimRedisOptions): ResolvedSimRedisOptions {
  return {
    host: o.host,
    port: o.port ?? 6379,
    replicaOf: o.replicaOf ?? null,
    replicaPriority: o.replicaPriority ?? 100,
    replicaAnnounced: o.replicaAnnounced ?? true,
    minReplicasToWrite: o.minReplicasToWrite ?? 0,
    minReplicasMaxLagS: o.minReplicasMaxLagS ?? 10,
    requirePass: o.requirePass,
    replTimeoutMs: o.replTimeoutMs ?? 5000,
    replPingPeriodMs: o.replPingPeriodMs ?? 1000,
    loadingMs: o.loadingMs ?? 200,
  };
}
