import type { Timing, TimingProfile } from "@vigil/core";
import type { NetworkOptions } from "../network/network.js";
import type { StarvationProfile } from "../sentinel/cpu-starvation.js";
import type { EngineFactory } from "../sentinel/engine-like.js";
import type { TraceSink } from "./trace.js";

/** Shape and settings of a simulated deployment. Everything not given has a documented default. */
export interface SimClusterOptions {
  /** Seeds every random choice of the run (network, ids, engines, writers). */
  readonly seed: number;
  /** Number of sentinels. Default 3. */
  readonly sentinels?: number;
  /** Number of master groups. Default 1. */
  readonly masters?: number;
  /** Replicas per master group. Default 2. */
  readonly replicasPerMaster?: number;
  /** Quorum of every group. Default: a majority of the sentinels. */
  readonly quorum?: number;
  /** Engine timing profile. Default `"fast"`. */
  readonly timing?: Timing | TimingProfile;
  /** `down-after-milliseconds`. Default 1000. */
  readonly downAfterMs?: number;
  /** `failover-timeout`. Default 5000. */
  readonly failoverTimeoutMs?: number;
  /** `vigil-crash-down-after` (crash detection; 0 = off). Default 0. */
  readonly crashDownAfterMs?: number;
  /** `parallel-syncs`. Default 1. */
  readonly parallelSyncs?: number;
  /** `replica-priority` of replica `i` of group `g` (the initial masters too, index 0). Default 100. */
  readonly replicaPriority?: (group: number, index: number) => number;
  /** `replica-announced` of node `i` of group `g`. Default true. */
  readonly replicaAnnounced?: (group: number, index: number) => boolean;
  /** `min-replicas-to-write` on every data node. Default 0. */
  readonly minReplicasToWrite?: number;
  /** `min-replicas-max-lag` (s). Default 10. */
  readonly minReplicasMaxLagS?: number;
  /** `repl-timeout` (ms) of the data nodes. Default 5000. */
  readonly replTimeoutMs?: number;
  /** Writers per master group. Default 2. */
  readonly writersPerMaster?: number;
  /** Mean pause between a writer's writes (ms). Default 100. */
  readonly writeIntervalMs?: number;
  /** Client request timeout (ms). Default 1000. */
  readonly clientTimeoutMs?: number;
  /** Sentinel timer period (ms). Default 100. */
  readonly tickMs?: number;
  /** Every sentinel runs as on a CPU-starved host (random stalls; see CpuStarvation). Default: none. */
  readonly starvation?: StarvationProfile;
  /**
   * Start every sentinel with the full list of peers (`known-sentinel`), as a deployment whose
   * config files have converged. Default true; false makes them discover each other by hello only.
   */
  readonly preconfigureSentinels?: boolean;
  /** Start sentinels knowing the replicas (`known-replica`). Default true. */
  readonly preconfigureReplicas?: boolean;
  readonly network?: NetworkOptions;
  /** Engine constructor. Default `createSentinelEngine` from `@vigil/core`. */
  readonly createEngine?: EngineFactory;
  /** Test-only engine faults, passed to every engine. */
  readonly engineFaults?: { readonly voteTwicePerEpoch?: boolean; readonly walkEveryTick?: boolean };
  /** Virtual wall-clock time at the start (ms since the Unix epoch). Default 2026-01-01T00:00:00Z. */
  readonly startTime?: number;
  /** Where trace lines go; nothing is formatted when absent. */
  readonly trace?: TraceSink;
}

/** 2026-01-01T00:00:00Z: a realistic wall clock for INFO's `server_time_usec` and Sentinel's timers. */
export const DEFAULT_START_TIME = 1_767_225_600_000;
