import { describe, expect, it } from "vitest";
import { agreedMaster } from "./crash-support.js";
import { checkedDeployment as deployment, sawEvent } from "./deployment-support.js";

describe("failover with the real engine on the simulated cluster", { timeout: 120_000 }, () => {
  it("replaces a crashed master, points the other replica at it, and keeps writes flowing", () => {
    const { cluster, violations, events, ledger } = deployment(11);
    expect(agreedMaster(cluster)).toBe("10.0.1.1:6379");
    cluster.crashRedis("10.0.1.1:6379");
    const failedOver = cluster.runUntil(() => agreedMaster(cluster) !== undefined && agreedMaster(cluster) !== "10.0.1.1:6379", 30_000);
    expect(failedOver).toBe(true);
    expect(sawEvent(events, "+switch-master")).toBe(true);
    expect(sawEvent(events, "+elected-leader")).toBe(true);
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
    expect(sawEvent(events, "+sdown", "s1")).toBe(true);
    expect(sawEvent(events, "+odown") || sawEvent(events, "+try-failover")).toBe(false);
    expect(cluster.node("10.0.1.1:6379").role).toBe("master");
  });
});
