// Shared by the crash-path simulator tests: crash the first group's master once the sentinels agree
// on it, and run until they agree on another one.
import { expect } from "vitest";
import { LivenessChecker } from "../src/checkers/liveness.js";
import type { SimCluster } from "../src/cluster/sim-cluster.js";

export const FIRST_MASTER = "10.0.1.1:6379";

/** The master every sentinel agrees on for `mymaster`, or undefined. */
export function agreedMaster(cluster: SimCluster): string | undefined {
  const live = new LivenessChecker({ healedAt: cluster.now, boundMs: 1, stableMs: 0 }, () => {});
  return live.evaluate(cluster) === null ? live.agreed.mymaster : undefined;
}

/** Crash FIRST_MASTER (`beforeCrash` runs just before) and run until a new master is agreed; returns the ms it took, or null. */
export function crashAndAwaitNewMaster(cluster: SimCluster, maxMs: number, beforeCrash: () => void = () => {}): number | null {
  expect(agreedMaster(cluster)).toBe(FIRST_MASTER);
  beforeCrash();
  const t0 = cluster.now;
  cluster.crashRedis(FIRST_MASTER);
  const ok = cluster.runUntil(() => {
    const m = agreedMaster(cluster);
    return m !== undefined && m !== FIRST_MASTER;
  }, maxMs);
  return ok ? cluster.now - t0 : null;
}
