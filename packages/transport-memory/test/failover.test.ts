import { describe, expect, it } from "vitest";
import { AuthorizedFailoverChecker } from "../src/checkers/authorized-failover.js";
import { LivenessChecker } from "../src/checkers/liveness.js";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { WriteLedger } from "../src/checkers/write-ledger.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";

/** A 3-sentinel, 1 master + 2 replicas deployment with the real engine and two checkers. */
function deployment(seed: number) {
  const cluster = new SimCluster({ seed });
  const violations: Violation[] = [];
  cluster.observe(new SingleLeaderChecker((v) => violations.push(v)));
  cluster.observe(new AuthorizedFailoverChecker({ sentinels: 3, quorumOf: () => 2 }, (v) => violations.push(v)));
  const ledger = new WriteLedger();
  cluster.observe(ledger);
  const events: string[] = [];
  cluster.observe({ onSentinelOutput: (o) => o.output.events.forEach((e) => events.push(`${o.sentinel.name} ${e.type}`)) });
  cluster.start();
  cluster.run(3000);
  return { cluster, violations, ledger, events };
}

function agreedMaster(cluster: SimCluster): string | undefined {
  const live = new LivenessChecker({ healedAt: cluster.now, boundMs: 1, stableMs: 0 }, () => {});
  return live.evaluate(cluster) === null ? live.agreed.mymaster : undefined;
}

describe("failover with the real engine on the simulated cluster", { timeout: 120_000 }, () => {
  it("replaces a crashed master, points the other replica at it, and keeps writes flowing", () => {
    const { cluster, violations, events, ledger } = deployment(11);
    expect(agreedMaster(cluster)).toBe("10.0.1.1:6379");
    cluster.crashRedis("10.0.1.1:6379");
    const failedOver = cluster.runUntil(() => agreedMaster(cluster) !== undefined && agreedMaster(cluster) !== "10.0.1.1:6379", 30_000);
    expect(failedOver).toBe(true);
    expect(events.some((e) => e.endsWith("+switch-master"))).toBe(true);
    expect(events.filter((e) => e.endsWith("+elected-leader")).length).toBeGreaterThanOrEqual(1);
    // The old master comes back and is turned into a replica of the new one.
    cluster.restartRedis("10.0.1.1:6379", true);
    cluster.run(30_000);
    const master = agreedMaster(cluster);
    expect(master).toBeDefined();
    expect(cluster.node("10.0.1.1:6379").role).toBe("slave");
    expect(violations).toEqual([]);
    const writesBefore = ledger.acknowledged;
    cluster.run(2000);
    expect(ledger.acknowledged).toBeGreaterThan(writesBefore);
  });

  it("fails over when the master is cut off with a minority of sentinels, and converts it when the partition heals", () => {
    const { cluster, violations } = deployment(12);
    cluster.partition([
      ["10.0.1.1", "10.0.100.1"],
      ["10.0.1.2", "10.0.1.3", "10.0.100.2", "10.0.100.3", "10.0.200.1", "10.0.200.2"],
    ]);
    cluster.run(10_000);
    // The majority side elected a leader and promoted a replica; the isolated sentinel cannot.
    expect(cluster.sentinel("s2").engine.getMasterAddrByName("mymaster")).not.toEqual({ host: "10.0.1.1", port: 6379 });
    expect(cluster.sentinel("s1").engine.getMasterAddrByName("mymaster")).toEqual({ host: "10.0.1.1", port: 6379 });
    cluster.healNetwork();
    const converged = cluster.runUntil(() => agreedMaster(cluster) !== undefined, 60_000);
    expect(converged).toBe(true);
    expect(agreedMaster(cluster)).not.toBe("10.0.1.1:6379");
    expect(violations).toEqual([]);
  });

  it("does not fail over a master that only one sentinel cannot see", () => {
    const { cluster, events } = deployment(13);
    cluster.partition([["10.0.100.1"], ["10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.100.2", "10.0.100.3", "10.0.200.1", "10.0.200.2"]]);
    cluster.run(10_000);
    expect(events).toContain("s1 +sdown");
    expect(events.some((e) => e.endsWith("+odown") || e.endsWith("+try-failover"))).toBe(false);
    expect(cluster.node("10.0.1.1:6379").role).toBe("master");
  });
});
