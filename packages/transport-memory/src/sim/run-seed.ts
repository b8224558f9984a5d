import { AuthorizedFailoverChecker } from "../checkers/authorized-failover.js";
import { LivenessChecker } from "../checkers/liveness.js";
import { MonotonicEpochChecker } from "../checkers/monotonic-epochs.js";
import { PromotionRankingChecker } from "../checkers/promotion-ranking.js";
import { ReportedMasterChecker } from "../checkers/reported-master.js";
import { SingleLeaderChecker } from "../checkers/single-leader.js";
import type { Violation } from "../checkers/violation.js";
import { type LostWriteReport, WriteLedger } from "../checkers/write-ledger.js";
import type { SimClusterOptions } from "../cluster/cluster-options.js";
import { SimCluster } from "../cluster/sim-cluster.js";
import type { TraceSink } from "../cluster/trace.js";
import { FaultInjector, type FaultRecord } from "../faults/fault-injector.js";
import { LAN_PROFILE } from "../network/link-profile.js";
import type { Keyspace } from "../redis/keyspace.js";
import type { EngineFactory } from "../sentinel/engine-like.js";
import { streamPrng } from "../util/seeded.js";
import { FailoverStats } from "./failover-stats.js";
import { type Scenario, type ScenarioOptions, scenarioFor } from "./scenario.js";

/** Options of {@link runSeed}. */
export interface RunSeedOptions extends ScenarioOptions {
  /** Full timeline goes here (off when absent: no line is even formatted). */
  readonly trace?: TraceSink;
  /** Test-only engine faults, e.g. `{ voteTwicePerEpoch: true }`. */
  readonly engineFaults?: { readonly voteTwicePerEpoch?: boolean; readonly walkEveryTick?: boolean };
  /** Engine constructor (default: `@vigil/core`'s). */
  readonly createEngine?: EngineFactory;
  /** After faults heal, liveness must be reached within this long (ms). Default 90000. */
  readonly livenessBoundMs?: number;
  /** Liveness must hold this long to end the run (ms). Default 3000. */
  readonly stableMs?: number;
  /** Period of state sampling for the sampled checkers (ms). Default 250. */
  readonly sampleMs?: number;
  /** Further cluster options (override the scenario's). */
  readonly cluster?: Partial<SimClusterOptions>;
  /** Safety checkers to attach (default: all of {@link SAFETY_CHECKERS}). Liveness always runs. */
  readonly checkers?: readonly SafetyCheckerName[];
  /** Stop at the first violation (default true). */
  readonly stopOnViolation?: boolean;
}

/** Names of the safety checkers {@link runSeed} can attach. */
export const SAFETY_CHECKERS = ["single-leader", "monotonic-epochs", "authorized-failover", "promotion-ranking", "reported-master"] as const;

/** One of {@link SAFETY_CHECKERS}. */
export type SafetyCheckerName = (typeof SAFETY_CHECKERS)[number];

/** Everything one seed produced. */
export interface SeedResult {
  readonly seed: number;
  readonly scenario: Scenario;
  /** Empty when every invariant held; the run stops at the first safety violation. */
  readonly violations: readonly Violation[];
  /** Elections that ended with `-failover-abort-not-elected` (split or lost votes). */
  readonly notElected: number;
  /** Durations of the failovers that happened (ms, see `FailoverStats`). */
  readonly failoverMs: readonly number[];
  readonly writes: LostWriteReport;
  readonly faults: readonly FaultRecord[];
  /** Time from healing all faults to liveness (ms), or null if not reached. */
  readonly convergenceMs: number | null;
  /** Virtual time simulated (ms). */
  readonly simulatedMs: number;
  /** Events run by the scheduler (a cost measure). */
  readonly events: number;
}

/**
 * Runs one seed: draws a deployment and a fault schedule from it, runs the safety phase with faults
 * and every safety checker attached (stopping at the first violation), heals everything, then runs
 * the liveness phase until the cluster has agreed on one master per group for `stableMs`, or the
 * bound expires. Finally accounts acknowledged writes against the agreed masters' data.
 * The same seed and options always give the same result (and the same trace).
 */
export function runSeed(seed: number, options: RunSeedOptions = {}): SeedResult {
  const scenario = scenarioFor(seed, options);
  const cluster = clusterFor(seed, scenario, options);
  const violations: Violation[] = [];
  const report = (v: Violation): void => {
    violations.push(v);
    cluster.trace(`VIOLATION [${v.checker}] ${v.message}`);
  };
  const { monotonic, reported } = attachSafetyCheckers(cluster, scenario, options, report);
  const ledger = new WriteLedger();
  cluster.observe(ledger);
  const stats = new FailoverStats();
  cluster.observe(stats);

  const injector = new FaultInjector(cluster, streamPrng(seed, "fault-targets"));
  injector.schedule(scenario.faults);
  const healAt = cluster.startTime + scenario.safetyMs;
  const boundMs = options.livenessBoundMs ?? 90_000;
  const liveness = new LivenessChecker({ healedAt: healAt, boundMs, stableMs: options.stableMs ?? 3000 }, report);
  const sampleMs = options.sampleMs ?? 250;
  const sample = (): void => {
    monotonic?.sample(cluster);
    reported?.sample(cluster);
    liveness.sample(cluster);
    cluster.scheduler.after(sampleMs, sample);
  };
  cluster.scheduler.after(sampleMs, sample);
  cluster.scheduler.at(healAt, () => injector.healAll());

  cluster.start();
  const stopOnViolation = options.stopOnViolation ?? true;
  cluster.scheduler.runUntil(healAt + boundMs + 2 * sampleMs, () => (stopOnViolation && violations.length > 0) || liveness.settled(cluster.now));

  const reachedAt = liveness.reachedAt;
  const finalData = new Map<string, Keyspace>();
  for (const g of cluster.groups) {
    const key = liveness.agreed[g.name];
    const node = key !== undefined ? g.nodes.find((n) => n.key === key) : cluster.reportedMaster(g.name);
    if (node) finalData.set(g.name, node.data);
  }
  const writes = ledger.account(finalData, injector.log);
  if (options.trace) {
    cluster.trace(
      `end: ${violations.length} violation(s), ${stats.count} failover(s) [${stats.durations.join(", ")}] ms, ${stats.notElected} not elected, ` +
        `liveness ${reachedAt !== null ? `reached ${reachedAt - healAt} ms after healing` : `not reached (${liveness.problem})`}, ` +
        `${writes.acknowledged} acknowledged writes, ${writes.lost} lost ${JSON.stringify(writes.byFault)}, ${cluster.scheduler.eventsRun} events`,
    );
  }
  return {
    seed,
    scenario,
    violations,
    failoverMs: stats.durations,
    notElected: stats.notElected,
    writes,
    faults: injector.log,
    convergenceMs: reachedAt !== null ? reachedAt - healAt : null,
    simulatedMs: cluster.elapsed,
    events: cluster.scheduler.eventsRun,
  };
}

/** The deployment the scenario draws, traced as one line. */
function clusterFor(seed: number, scenario: Scenario, options: RunSeedOptions): SimCluster {
  const cluster = new SimCluster({
    seed,
    sentinels: scenario.sentinels,
    masters: scenario.masters,
    replicasPerMaster: scenario.replicasPerMaster,
    timing: scenario.timing,
    downAfterMs: scenario.downAfterMs,
    failoverTimeoutMs: scenario.failoverTimeoutMs,
    minReplicasToWrite: scenario.minReplicasToWrite,
    crashDownAfterMs: scenario.crashDownAfterMs,
    replicaPriority: (g, i) => scenario.priorities[g]?.[i] ?? 100,
    replicaAnnounced: (g, i) => scenario.announced[g]?.[i] ?? true,
    // Simultaneous-start seeds: 20 ms one way, so vote requests arrive after every sentinel started campaigning.
    ...(scenario.simultaneousStart ? { network: { defaultProfile: { ...LAN_PROFILE, latencyMs: 20 } } } : {}),
    engineFaults: options.engineFaults,
    createEngine: options.createEngine,
    trace: options.trace,
    ...options.cluster,
  });
  if (options.trace) {
    options.trace(
      `seed ${seed}: ${typeof scenario.timing === "string" ? scenario.timing : "custom"} timing, ${scenario.sentinels} sentinels, ${scenario.masters} master group(s) with ${scenario.replicasPerMaster} replica(s), ` +
        `priorities ${scenario.priorities.map((r) => r.join("/")).join(" ")}, down-after ${scenario.downAfterMs} ms, ` +
        `failover-timeout ${scenario.failoverTimeoutMs} ms, min-replicas-to-write ${scenario.minReplicasToWrite}, ` +
        `crash-down-after ${scenario.crashDownAfterMs} ms${scenario.simultaneousStart ? ", simultaneous start" : ""}, ` +
        `safety phase ${scenario.safetyMs} ms, ${scenario.faults.length} fault(s) planned`,
    );
  }
  return cluster;
}

/** The safety checkers `options.checkers` enables; the two that sample are returned. */
function attachSafetyCheckers(
  cluster: SimCluster,
  scenario: Scenario,
  options: RunSeedOptions,
  report: (v: Violation) => void,
): { monotonic?: MonotonicEpochChecker; reported?: ReportedMasterChecker } {
  const enabled = new Set<SafetyCheckerName>(options.checkers ?? SAFETY_CHECKERS);
  const monotonic = enabled.has("monotonic-epochs") ? new MonotonicEpochChecker(report) : undefined;
  const reported = enabled.has("reported-master")
    ? new ReportedMasterChecker(Object.fromEntries(cluster.groups.map((g) => [g.name, g.initialMaster.key])), report)
    : undefined;
  if (enabled.has("single-leader")) cluster.observe(new SingleLeaderChecker(report));
  if (monotonic) cluster.observe(monotonic);
  if (enabled.has("authorized-failover")) {
    cluster.observe(new AuthorizedFailoverChecker({ sentinels: scenario.sentinels, quorumOf: (m) => cluster.group(m).quorum }, report));
  }
  if (enabled.has("promotion-ranking")) {
    cluster.observe(new PromotionRankingChecker(report, (key) => cluster.redis.find((n) => n.key === key)?.replicaPriority));
  }
  if (reported) cluster.observe(reported);
  return { monotonic, reported };
}
