import { describe, expect, it } from "vitest";
import { explainMaster, planFailover, sectionLines } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

const healthy = () => {
  const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2 });
  c.run(5000);
  return c;
};

describe("explainMaster (mini cluster)", () => {
  it("a healthy master: not down, no agreement needed, electable, the best replica named", () => {
    const c = healthy();
    c.node(6381).offset = 2000; // ahead of 6380: must be the one promoted
    c.run(11000); // one INFO period
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.down.sdown).toBe(false);
    expect(e.agreement).toMatchObject({ odown: false, agreeing: 0, agreeingPeers: [], quorum: 2 });
    expect(e.election).toMatchObject({ voters: 3, requiredVotes: 2, reachable: 3, couldBeElected: true, lastVote: null });
    expect(e.promotion.promote).toBe("127.0.0.1:6381");
    expect(e.promotion.excluded).toEqual([]);
    const text = sectionLines(e.sections).join("\n");
    expect(text).toContain("SDOWN: no");
    // A healthy master: nobody, this Sentinel included, says it is down.
    expect(text).toContain("ODOWN: no. 0 of 3 Sentinels (this one included) say the master is down");
    expect(text).toContain("A leader needs max(quorum 2, majority 2) = 2 votes.");
    expect(text).toContain("Would promote 127.0.0.1:6381: replica-priority 100, replication offset 2000");
    expect(text).toContain("127.0.0.1:6380 is eligible but has replication offset 1000, behind 2000.");
  });

  it("names the exclusion rule for each replica that cannot be promoted", () => {
    const c = healthy();
    c.node(6380).priority = 0;
    c.run(11000);
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.promotion.promote).toBe("127.0.0.1:6381");
    expect(e.promotion.excluded).toEqual([expect.objectContaining({ key: "127.0.0.1:6380", reason: "priority-zero" })]);
    expect(sectionLines(e.sections)).toContain("  Excluded: 127.0.0.1:6380 has replica-priority 0, which means it must never be promoted.");
  });

  it("a dead master: SDOWN with its cause and the silence measured against down-after", () => {
    const c = healthy();
    // Only sentinel 0 loses the master: the others never agree, so it stays SDOWN without ODOWN.
    c.sentinels[1]!.alive = false;
    c.sentinels[2]!.alive = false;
    c.kill(6379);
    c.run(1500);
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.down).toMatchObject({ sdown: true, cause: "no-reply", downAfterMs: 1000 });
    expect(e.down.elapsedMs).toBeGreaterThan(1000);
    expect(e.agreement.odown).toBe(false);
    const text = sectionLines(e.sections).join("\n");
    expect(text).toMatch(/SDOWN: yes, for \d+ ms\. Cause: no acceptable PING reply for longer than down-after-milliseconds\./);
    expect(text).toMatch(/ODOWN: no\. 1 of 3 Sentinels \(this one included\) say the master is down; quorum is 2\./);
  });

  it("a lone sentinel with quorum 2 can never reach ODOWN, and says so", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2 });
    c.run(3000);
    c.kill(6379);
    c.run(3000);
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.down.sdown).toBe(true);
    expect(e.agreement.odown).toBe(false);
    expect(e.election).toMatchObject({ voters: 1, requiredVotes: 2, reachable: 1, couldBeElected: false });
    const text = sectionLines(e.sections).join("\n");
    expect(text).toContain("No other Sentinel is known");
    expect(text).toContain("alone this Sentinel cannot reach quorum 2");
    expect(text).toContain("CKQUORUM NOQUORUM: 1 usable Sentinels.");
  });

  it("after a failover: the epochs follow the promotion", () => {
    const c = healthy();
    c.kill(6379);
    expect(c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 20000)).toBeGreaterThan(0);
    const leader = c.sentinels.findIndex((s) => s.events.some((e) => e.type === "+elected-leader"));
    const e = explainMaster(c.engine(leader), "mymaster", c.now)!;
    expect(e.election.currentEpoch).toBeGreaterThanOrEqual(1);
    expect(e.election.configEpoch).toBe(e.election.currentEpoch);
    expect(sectionLines(e.sections).join("\n")).toContain(`config epoch of mymaster ${e.election.configEpoch}`);
  });

  it("a vote for another Sentinel: reported with its epoch, and the retry gate it sets", () => {
    const c = healthy();
    const other = "f".repeat(40);
    c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 5, other));
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.election.lastVote).toEqual({ leader: other, epoch: 5 });
    expect(e.election.currentEpoch).toBe(5);
    expect(e.election.retryBlockedForMs).toBeGreaterThan(0);
    const text = sectionLines(e.sections).join("\n");
    expect(text).toContain("Last vote: for ffffffff in epoch 5.");
    expect(text).toMatch(/A new failover attempt is held back for \d+ ms more: 2 × failover-timeout \(20000 ms\)/);
  });

  it("unknown master → undefined", () => {
    expect(explainMaster(healthy().engine(0), "nope", 0)).toBeUndefined();
  });
});

describe("planFailover (dry run)", () => {
  it("lists the steps with the addresses and epochs, and changes nothing", () => {
    const c = healthy();
    c.node(6380).offset = 5000;
    c.run(11000);
    const before = JSON.stringify(c.engine(0).persistedState());
    const viewBefore = JSON.stringify(c.engine(0).view());
    const plan = planFailover(c.engine(0), "mymaster", c.now)!;
    expect(plan).toMatchObject({ possible: true, refusal: null, promote: "127.0.0.1:6380" });
    const text = sectionLines(plan.sections).join("\n");
    expect(text).toContain("Raise the current epoch 0 → 1");
    expect(text).toContain("Reconfigure 127.0.0.1:6381 with SLAVEOF 127.0.0.1 6380, 1 at a time");
    expect(text).toContain("+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380");
    expect(text).toContain("Dry run: nothing was changed.");
    expect(JSON.stringify(c.engine(0).persistedState())).toBe(before);
    expect(JSON.stringify(c.engine(0).view())).toBe(viewBefore);
    // The plan matches what SENTINEL FAILOVER then does.
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    c.runUntil(() => c.masterAddrs()[0] === "127.0.0.1:6380", 20000);
    expect(c.masterAddrs()[0]).toBe("127.0.0.1:6380");
  });

  it("refuses like SENTINEL FAILOVER: INPROG while running, NOGOODSLAVE without candidates", () => {
    const c = healthy();
    // Replicas that ignore SLAVEOF keep the failover waiting for the promotion.
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(c.state(0)).toBe("wait_promotion");
    expect(planFailover(c.engine(0), "mymaster", c.now)).toMatchObject({ possible: false, refusal: "INPROG Failover already in progress" });
    const d = healthy();
    d.node(6380).priority = 0;
    d.node(6381).priority = 0;
    d.run(11000);
    const plan = planFailover(d.engine(0), "mymaster", d.now)!;
    expect(plan).toMatchObject({ possible: false, refusal: "NOGOODSLAVE No suitable replica to promote", promote: null });
    expect(sectionLines(plan.sections).filter((l) => l.includes("Excluded:"))).toHaveLength(2);
  });
});
