// WAIT_PROMOTION: the leader polls the promoted replica's INFO every few ms until it reports
// role:master, so a promotion that becomes visible after SLAVEOF NO ONE's reply (an INFO answered
// for the old role, a slow CONFIG REWRITE) is seen within milliseconds, not a fast INFO period later.
import { describe, expect, it } from "vitest";
import { MiniCluster } from "./support/mini-cluster.js";

describe("promotion polling (eager)", () => {
  it("sees a late role:master within 20 ms", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2, downAfterMs: 1000, seed: 5 });
    c.run(5000);
    for (const p of [6380, 6381]) c.node(p).ignoresSlaveof = true;
    c.kill(6379);
    const waiting = () => c.sentinels.findIndex((_s, i) => c.eventsOf(i, "+failover-state-wait-promotion").length > 0);
    expect(c.runUntil(() => waiting() >= 0, 5000, 1)).toBeGreaterThanOrEqual(0);
    const leader = waiting();
    c.run(35, 1);
    const promoted = [6380, 6381].map((p) => c.node(p)).find((n) => c.eventsOf(leader, "+selected-slave").some((e) => e.value.payload.includes(`:${n.addr.port} `)))!;
    promoted.role = "master";
    promoted.master = null;
    // Ticks every 100 ms: only the engine's own wakes make it faster than that.
    const elapsed = c.runUntil(() => c.eventsOf(leader, "+promoted-slave").length > 0, 2000, 100);
    expect(elapsed).toBeGreaterThanOrEqual(0);
    const seenAt = c.eventsOf(leader, "+promoted-slave")[0]!.at;
    expect(seenAt - (c.now - elapsed)).toBeLessThanOrEqual(20);
  });
});
