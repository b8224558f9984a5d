/**
 * `@vigil/transport-memory`: a deterministic simulation of a Sentinel deployment — simulated Redis
 * servers, a simulated network with TCP-like connections, a virtual clock — that runs real
 * `@vigil/core` engines unchanged, injects faults drawn from one integer seed, and checks safety and
 * liveness invariants along the way.
 *
 * Three levels of use:
 * - `npm run sim -- --seeds 500` (or {@link runSeeds} / {@link runSeed}): randomized runs with every
 *   checker attached; a failing seed replays exactly with `--seed N --trace`.
 * - {@link SimCluster}: build a deployment, start it, inject faults by hand (`crashRedis`,
 *   `partition`, `pauseRedis`, `jumpClock`, ...) and advance virtual time with `run` / `runUntil`;
 *   attach checkers or your own {@link SimObserver}.
 * - The parts ({@link Scheduler}, {@link Network}, {@link SimRedis}, {@link SentinelHost},
 *   {@link SimClient}) to wire a custom topology — for example to test an embedder's service that
 *   resolves its master through Sentinel: give it a {@link SimClient} on a simulated host.
 *
 * Nothing here reads a real clock or `Math.random`; the same seed gives the same run, byte for byte.
 *
 * @packageDocumentation
 */

export { AuthorizedFailoverChecker, type AuthorizedFailoverConfig } from "./checkers/authorized-failover.js";
export { LivenessChecker, type LivenessConfig } from "./checkers/liveness.js";
export { MonotonicEpochChecker } from "./checkers/monotonic-epochs.js";
export { PromotionRankingChecker } from "./checkers/promotion-ranking.js";
export { betterReplica, excludedBecause } from "./checkers/ranking-rules.js";
export { ReportedMasterChecker } from "./checkers/reported-master.js";
export { SingleLeaderChecker } from "./checkers/single-leader.js";
// Checkers
export type { Violation, ViolationSink } from "./checkers/violation.js";
export { type FaultWindow, type LostWriteReport, WriteLedger } from "./checkers/write-ledger.js";
export { type ClientResult, SimClient, type SimClientOptions } from "./client/sim-client.js";
export { Writer, type WriterOptions } from "./client/writer.js";
// Virtual time
export { Scheduler, type TimerHandle } from "./clock/scheduler.js";
export { DEFAULT_START_TIME, type SimClusterOptions } from "./cluster/cluster-options.js";
export type {
  OutputOrigin,
  PromotionObservation,
  SentinelObservation,
  SentinelRef,
  SimObserver,
  WriteObservation,
} from "./cluster/observer.js";
export type { ClusterProbe, DataNodeState } from "./cluster/probe.js";
// Cluster
export { groupName, type MasterGroup, SimCluster } from "./cluster/sim-cluster.js";
export { formatElapsed, type TraceSink } from "./cluster/trace.js";
export { FaultInjector, type FaultRecord } from "./faults/fault-injector.js";
// Faults
export { DEFAULT_FAULT_WEIGHTS, FAULT_DURATIONS, FAULT_KINDS, type FaultKind } from "./faults/fault-kinds.js";
export { type FaultPlanOptions, type PlannedFault, planFaults } from "./faults/fault-plan.js";
export { type ClientHandlers, Connection, type ServerHandlers } from "./network/connection.js";
export { LAN_PROFILE, type LinkProfile, nextRetransmission, rtoFor, TCP_RTO, TCP_SYN_RTO_MS } from "./network/link-profile.js";
// Network
export { type Listener, Network, type NetworkOptions, type NetworkStats } from "./network/network.js";
export { FIN, type Packet, Stream } from "./network/stream.js";
export { Topology } from "./network/topology.js";
export { type InfoReplicaEntry, type InfoSnapshot, renderInfo } from "./redis/info-text.js";
export { Keyspace } from "./redis/keyspace.js";
export { ERRORS, HELLO_CHANNEL, type ReconfigureOrigin, type Request, type Response, type WireMessage } from "./redis/protocol.js";
// Redis
export { SimRedis, type SimRedisHooks, type SimRedisOptions } from "./redis/sim-redis.js";
export { CpuStarvation, type StarvationProfile } from "./sentinel/cpu-starvation.js";
export { type EngineFactory, type EngineLike, type RankingSnapshot, rankingSnapshot } from "./sentinel/engine-like.js";
// Sentinels and clients
export { SentinelHost, type SentinelHostHooks, type SentinelHostOptions } from "./sentinel/sentinel-host.js";
export { FailoverStats } from "./sim/failover-stats.js";
// Randomized runs
export { type RunSeedOptions, runSeed, SAFETY_CHECKERS, type SafetyCheckerName, type SeedResult } from "./sim/run-seed.js";
export { type PortableSeedOptions, type RunSeedsOptions, runSeeds } from "./sim/run-seeds.js";
export { type Scenario, type ScenarioOptions, scenarioFor } from "./sim/scenario.js";
export { digest, percentile, type SeedDigest, type SimSummary, summarize, summaryLine } from "./sim/summary.js";

// Seeded helpers
export { between, chance, deriveSeed, pick, randomRunId, shuffled, streamPrng, weightedIndex } from "./util/seeded.js";
