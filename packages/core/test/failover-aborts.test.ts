// Every abort of §11.2–11.5 and §11.9, and the 2 × failover-timeout retry gate (§11.1), on real engines.
import { describe, expect, it } from "vitest";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const MASTER = "master mymaster 127.0.0.1 6379";
const FT = 10000;

/** One sentinel with quorum 1: it is always the elected leader, so only the later stages can fail. */
function solo(timing: "fast" | "sentinel" = "fast", replicas = [6380, 6381]): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas, quorum: 1, downAfterMs: 1000, failoverTimeoutMs: FT, timing });
  c.run(12000);
  expect(summary(c.engine()).masters[0]!.replicas).toHaveLength(replicas.length);
  return c;
}

function failoverTypes(c: MiniCluster): string[] {
  return c.eventTypes(0).filter((t) => /failover|elected|selected|promoted|try-|slave-reconf/.test(t));
}

describe("-failover-abort-not-elected (§11.2)", () => {
  it("aborts after min(election-timeout, failover-timeout) from the start, then waits 2 × failover-timeout to retry", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: FT });
    c.addFakePeer(0, 0, () => [1, "*", 0]); // agrees the master is down, never votes
    c.run(3000);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+try-failover"), 5000, 10);
    const start = masterRecordOf(c.engine(), "mymaster")!.failover.context.startTime;
    c.runUntil(() => c.saw(0, "-failover-abort-not-elected"), 15000, 10);
    const abort = c.eventsOf(0, "-failover-abort-not-elected")[0]!;
    expect(abort.value.payload).toBe(MASTER);
    expect(abort.at - start).toBeGreaterThan(FT); // min(10 s, 10 s)
    expect(abort.at - start).toBeLessThanOrEqual(FT + 10);
    expect(c.state()).toBe("none");
    expect(summary(c.engine()).masters[0]!.odown).toBe(true);
    // The retry gate: still ODOWN, but no new attempt before start + 2 × FT.
    c.runUntil(() => c.eventsOf(0, "+try-failover").length === 2, 3 * FT, 10);
    const retry = c.eventsOf(0, "+try-failover")[1]!.at;
    expect(retry).toBeGreaterThanOrEqual(start + 2 * FT);
    expect(retry).toBeLessThanOrEqual(start + 2 * FT + 50 + 10); // start jitter ≤ 50 ms, 10 ms ticks
    expect(c.eventsOf(0, "+new-epoch").map((e) => e.value.payload)).toEqual(["1", "2"]);
  });
});

describe("-failover-abort-no-good-slave (§11.3)", () => {
  it("aborts when replica selection finds nothing, without touching any replica", () => {
    const c = solo();
    c.node(6380).priority = 0;
    c.node(6381).priority = 0;
    c.run(11000); // INFO refresh brings the priorities in
    c.kill(6379);
    c.runUntil(() => c.saw(0, "-failover-abort-no-good-slave"), 5000, 10);
    expect(failoverTypes(c)).toEqual(["+try-failover", "+elected-leader", "+failover-state-select-slave", "-failover-abort-no-good-slave"]);
    expect(c.eventsOf(0, "-failover-abort-no-good-slave")[0]!.value.payload).toBe(MASTER);
    expect(c.commandsOf(0, "reconfigure")).toEqual([]);
    expect(c.state()).toBe("none");
  });
});

describe("-failover-abort-slave-timeout", () => {
  it("in SEND_SLAVEOF_NOONE: the selected replica's link is down for longer than failover-timeout", () => {
    // Sentinel profile: one failover step per tick, so the replica can vanish between selection and SLAVEOF.
    const c = solo("sentinel", [6380]);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+failover-state-send-slaveof-noone"), 10000, 100);
    c.kill(6380);
    const entered = c.firstAt(0, "+failover-state-send-slaveof-noone");
    c.runUntil(() => c.saw(0, "-failover-abort-slave-timeout"), 2 * FT, 100);
    const abort = c.eventsOf(0, "-failover-abort-slave-timeout")[0]!;
    expect(abort.value.payload).toBe(MASTER);
    expect(abort.at - entered).toBeGreaterThan(FT);
    expect(abort.at - entered).toBeLessThanOrEqual(FT + 100);
    expect(c.saw(0, "+failover-state-wait-promotion")).toBe(false);
    expect(c.commandsOf(0, "reconfigure")).toEqual([]);
    expect(c.state()).toBe("none");
    expect(masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.promoted).toBe(false);
  });

  it("in WAIT_PROMOTION: SLAVEOF NO ONE was sent but the replica never reports role:master", () => {
    const c = solo();
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+failover-state-wait-promotion"), 5000, 10);
    const entered = c.firstAt(0, "+failover-state-wait-promotion");
    const promotedKey = summary(c.engine()).masters[0]!.promoted!;
    expect(masterRecordOf(c.engine(), "mymaster")!.replicas.get(promotedKey)!.promoted).toBe(true);
    const noOne = c.commandsOf(0, "reconfigure").filter((r) => r.value.target === null);
    expect(noOne).toHaveLength(1);
    expect(`127.0.0.1:${noOne[0]!.value.addr.port}`).toBe(promotedKey);
    c.runUntil(() => c.saw(0, "-failover-abort-slave-timeout"), 2 * FT, 10);
    const abort = c.eventsOf(0, "-failover-abort-slave-timeout")[0]!;
    expect(abort.value.payload).toBe(MASTER);
    expect(abort.at - entered).toBeGreaterThan(FT);
    expect(abort.at - entered).toBeLessThanOrEqual(FT + 10);
    // §11.9: flags cleared, promoted replica forgotten, state none.
    expect(c.state()).toBe("none");
    expect(summary(c.engine()).masters[0]!.promoted).toBeNull();
    expect(masterRecordOf(c.engine(), "mymaster")!.replicas.get(promotedKey)!.promoted).toBe(false);
    expect(c.saw(0, "+promoted-slave")).toBe(false);
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual({ host: "127.0.0.1", port: 6379 });
  });

  it("after an abort the next attempt waits 2 × failover-timeout from the last start, then can succeed", () => {
    const c = solo();
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+try-failover"), 5000, 10);
    const start = masterRecordOf(c.engine(), "mymaster")!.failover.context.startTime;
    c.runUntil(() => c.saw(0, "-failover-abort-slave-timeout"), 2 * FT, 10);
    c.node(6380).ignoresSlaveof = false;
    c.node(6381).ignoresSlaveof = false;
    c.runUntil(() => c.eventsOf(0, "+try-failover").length === 2, 2 * FT, 10);
    const retry = c.eventsOf(0, "+try-failover")[1]!.at;
    expect(retry).toBeGreaterThanOrEqual(start + 2 * FT);
    expect(retry).toBeLessThanOrEqual(start + 2 * FT + 60);
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 10);
    expect(c.saw(0, "+switch-master")).toBe(true);
  });

  it("no abort is possible once the promotion was observed", () => {
    const c = solo();
    c.node(6381).ignoresSlaveof = true; // the other replica never follows: RECONF_SLAVES drags on
    c.node(6380).priority = 1;
    c.run(11000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+promoted-slave"), 5000, 10);
    c.kill(6380); // the new master dies mid-reconfiguration
    c.run(3 * FT, 100);
    expect(c.eventTypes(0).filter((t) => t.startsWith("-failover-abort"))).toEqual([]);
    expect(c.state()).toBe("reconf_slaves");
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual({ host: "127.0.0.1", port: 6380 });
  });
});
