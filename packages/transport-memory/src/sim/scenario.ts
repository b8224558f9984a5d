import { FAST_TIMING, type Prng, type Timing, type TimingProfile } from "@vigil/core";
import type { FaultKind } from "../faults/fault-kinds.js";
import { type PlannedFault, planFaults } from "../faults/fault-plan.js";
import { between, chance, pick, streamPrng } from "../util/seeded.js";

/** Knobs of a randomized run; anything absent is drawn from the seed. */
export interface ScenarioOptions {
  readonly sentinels?: number;
  readonly masters?: number;
  readonly replicasPerMaster?: number;
  readonly timing?: Timing | TimingProfile;
  readonly downAfterMs?: number;
  readonly failoverTimeoutMs?: number;
  readonly minReplicasToWrite?: number;
  /** `vigil-crash-down-after` (0 = off). Default: drawn, on in about a third of the seeds. */
  readonly crashDownAfterMs?: number;
  /**
   * Every sentinel campaigns the instant it may (the fast profile without its start jitter and rank
   * stagger): with crash detection they all see a crash at once, the worst case for split votes.
   * Default: drawn, in about one fast-profile seed in six.
   */
  readonly simultaneousStart?: boolean;
  /** Length of the safety phase, during which faults fire (ms). */
  readonly safetyMs?: number;
  /** Relative fault weights (see `DEFAULT_FAULT_WEIGHTS`). */
  readonly faultWeights?: Partial<Record<FaultKind, number>>;
  /** Replace the drawn fault schedule. */
  readonly faults?: readonly PlannedFault[];
}

/** A concrete deployment and fault schedule for one seed. */
export interface Scenario {
  readonly seed: number;
  readonly sentinels: number;
  readonly masters: number;
  readonly replicasPerMaster: number;
  readonly timing: Timing | TimingProfile;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly minReplicasToWrite: number;
  readonly crashDownAfterMs: number;
  readonly simultaneousStart: boolean;
  /** `replica-priority` per group and node (index 0 = initial master). */
  readonly priorities: readonly (readonly number[])[];
  /** `replica-announced` per group and node. */
  readonly announced: readonly (readonly boolean[])[];
  readonly safetyMs: number;
  readonly faults: readonly PlannedFault[];
}

/** Before the first fault: sentinels connect, exchange hellos, learn run ids (ms). */
const WARMUP_MS = 3000;

/**
 * Draws the deployment and fault schedule of a seed. The `fast` timing profile (20% of seeds use
 * `sentinel`), mostly 3 sentinels (sometimes 5), one master
 * group (sometimes two), 1–3 replicas each with mostly equal priorities (sometimes a preferred or a
 * never-promote replica), `min-replicas-to-write` sometimes on, and a 20–35 s safety phase.
 */
export function scenarioFor(seed: number, options: ScenarioOptions = {}): Scenario {
  const p: Prng = streamPrng(seed, "scenario");
  const sentinels = options.sentinels ?? (chance(p, 0.25) ? 5 : 3);
  const masters = options.masters ?? (chance(p, 0.2) ? 2 : 1);
  const replicasPerMaster = options.replicasPerMaster ?? pick(p, [1, 2, 2, 2, 3]);
  const priorities: number[][] = [];
  for (let g = 0; g < masters; g++) {
    const row: number[] = [];
    for (let i = 0; i <= replicasPerMaster; i++) row.push(chance(p, 0.8) ? 100 : pick(p, [0, 10, 50, 150]));
    // At least one replica must be promotable, or no failover could ever succeed.
    if (row.slice(1).every((x) => x === 0)) row[1] = 100;
    priorities.push(row);
  }
  const announced = priorities.map((row) => row.map(() => !chance(p, 0.1)));
  const safetyMs = options.safetyMs ?? between(p, 20000, 35000);
  // Vigil's default profile mostly, Sentinel's exact periods sometimes (mixed fleets use it).
  const timing: TimingProfile = chance(p, 0.2) ? "sentinel" : "fast";
  const chosenTiming = options.timing ?? timing;
  const faults = options.faults ?? planFaults(streamPrng(seed, "faults"), { fromMs: WARMUP_MS, untilMs: safetyMs, weights: options.faultWeights });
  // Drawn from their own stream: the draws above (and so every existing seed's deployment) stay as they were.
  const q = streamPrng(seed, "crash");
  const crashDownAfterMs = options.crashDownAfterMs ?? (chance(q, 0.35) ? pick(q, [200, 300, 500]) : 0);
  const simultaneousStart = chosenTiming === "fast" && (options.simultaneousStart ?? chance(q, 0.17));
  return {
    seed,
    sentinels,
    masters,
    replicasPerMaster,
    timing: simultaneousStart ? { ...FAST_TIMING, startJitter: 0 } : chosenTiming,
    downAfterMs: options.downAfterMs ?? pick(p, [1000, 1000, 2000]),
    failoverTimeoutMs: options.failoverTimeoutMs ?? pick(p, [4000, 5000, 6000]),
    minReplicasToWrite: options.minReplicasToWrite ?? (chance(p, 0.3) && replicasPerMaster > 1 ? 1 : 0),
    crashDownAfterMs,
    simultaneousStart,
    priorities,
    announced,
    safetyMs,
    faults,
  };
}
