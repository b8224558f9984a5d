// Coordinated switchover on the simulated cluster: the SimRedis FAILOVER model, the real engine,
// the single-leader and authorized-failover checkers, and the write ledger (no acknowledged write lost).
import { describe, expect, it } from "vitest";
import type { Keyspace } from "../src/redis/keyspace.js";
import { checkedDeployment as deployment } from "./deployment-support.js";

describe("coordinated switchover (simulated)", { timeout: 60_000 }, () => {
  for (const seed of [21, 22, 23]) {
    it(`seed ${seed}: elected, handed over through FAILOVER TO, every sentinel follows, no acknowledged write lost`, () => {
      const { cluster, violations, ledger, events } = deployment(seed);
      expect(cluster.failover("s1", "mymaster", {})).toBe("ok");
      const done = cluster.runUntil(() => events.some((e) => e.startsWith("s1 +switchover-end")), 20_000);
      expect(done).toBe(true);
      cluster.run(5000);
      const master = cluster.reportedMaster("mymaster");
      expect(master?.key).not.toBe("10.0.1.1:6379");
      expect(cluster.node("10.0.1.1:6379").role).toBe("slave");
      const data = new Map<string, Keyspace>([["mymaster", master!.data]]);
      const report = ledger.account(data, []);
      expect(report.acknowledged).toBeGreaterThan(0);
      expect(report.lost).toBe(0);
      expect(violations).toEqual([]);
    });
  }
});
