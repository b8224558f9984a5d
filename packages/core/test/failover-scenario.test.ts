import { describe, expect, it } from "vitest";
import { summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

describe("automatic failover end to end (mini cluster)", () => {
  it("promotes a replica, re-points the other, and every sentinel agrees", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2 });
    c.run(5000);
    // Discovery: each sentinel knows both replicas and the two other sentinels.
    for (const s of c.sentinels) {
      const v = summary(s.engine).masters[0]!;
      expect(v.replicas.map((r) => r.key).sort()).toEqual(["127.0.0.1:6380", "127.0.0.1:6381"]);
      expect(v.sentinels).toHaveLength(2);
    }
    c.kill(6379);
    const took = c.runUntil(() => new Set(c.masterAddrs()).size === 1 && c.masterAddrs()[0] !== "127.0.0.1:6379", 20000);
    expect(took).toBeGreaterThan(0);
    const newMaster = c.masterAddrs()[0]!;
    const port = Number(newMaster.split(":")[1]);
    expect(c.node(port).role).toBe("master");
    c.run(3000);
    const other = port === 6380 ? 6381 : 6380;
    expect(c.node(other).master?.port).toBe(port);
    const leader = c.sentinels.findIndex((s) => s.events.some((e) => e.type === "+elected-leader"));
    expect(leader).toBeGreaterThanOrEqual(0);
    const seq = c.eventTypes(leader).filter((t) => t.startsWith("+") || t.startsWith("-"));
    const expected = ["+sdown", "+odown", "+new-epoch", "+try-failover", "+vote-for-leader", "+elected-leader", "+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone", "+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves", "+slave-reconf-sent", "+failover-end", "+switch-master"];
    let k = 0;
    for (const t of seq) if (t === expected[k]) k++;
    expect(expected.slice(k)).toEqual([]);
    // Old master comes back and is converted to a replica of the new one.
    c.restart(6379);
    c.run(15000);
    expect(c.node(6379).role).toBe("slave");
    expect(c.node(6379).master?.port).toBe(port);
  });
});
