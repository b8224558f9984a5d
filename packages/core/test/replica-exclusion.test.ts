// Replica selection (§12) through the engine: each exclusion rule, and the ranking order, change which
// replica a real failover promotes. The pure function is covered in replica-ranking.test.ts.
import { describe, expect, it } from "vitest";
import { contextOf } from "../src/engine/sentinel-engine.js";
import { rankingInputs } from "../src/engine/views/engine-views.js";
import { type ExclusionReason, exclusionReason } from "../src/index.js";
import { masterRecordOf } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const slave = (port: number) => `slave 127.0.0.1:${port} 127.0.0.1 ${port} @ mymaster 127.0.0.1 6379`;

/** One sentinel (quorum 1), replicas 6380 (preferred: priority 1) and 6381; down-after 5 s. */
function cluster(downAfterMs = 5000): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs });
  c.node(6380).priority = 1;
  c.run(12000);
  expect(reason(c, 6380)).toBeNull();
  expect(reason(c, 6381)).toBeNull();
  return c;
}

function reason(c: MiniCluster, port: number): ExclusionReason | null {
  const e = c.engine();
  const { replicas, ctx } = rankingInputs(contextOf(e), masterRecordOf(e, "mymaster")!, c.now);
  return exclusionReason(replicas.find((r) => r.key === `127.0.0.1:${port}`)!, ctx);
}

/** SENTINEL FAILOVER and the replica it promotes. */
function manualFailover(c: MiniCluster): string | undefined {
  const before = c.eventsOf(0, "+selected-slave").length;
  expect(c.call(0, (e, now) => e.failover(now, "mymaster")).result).toBe("ok");
  c.runUntil(() => c.eventsOf(0, "+selected-slave").length > before, 1000, 10);
  return c.eventsOf(0, "+selected-slave")[before]?.value.payload;
}

describe("without exclusions the preferred replica is promoted", () => {
  it("priority 1 beats priority 100", () => {
    expect(manualFailover(cluster())).toBe(slave(6380));
  });
});

describe("each exclusion rule of §12 moves the promotion to the other replica", () => {
  it("1. SDOWN", () => {
    const c = cluster();
    c.node(6380).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 6000, 10);
    expect(reason(c, 6380)).toBe("sdown");
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("2. link disconnected (before it could become SDOWN)", () => {
    const c = cluster();
    c.kill(6380);
    expect(reason(c, 6380)).toBe("disconnected");
    expect(c.saw(0, "+sdown")).toBe(false);
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("3. no acceptable PING reply within 5 × ping-period (link up, not yet SDOWN)", () => {
    // down-after 30 s: the fast profile pings every min(down-after / 5, 1000) = 1000 ms, so the rule
    // reads 5 × 1000 ms (with down-after 5 s it would coincide with SDOWN).
    const c = cluster(30000);
    const link = () => masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.link;
    c.node(6380).pingHangs = true;
    const lastReply = link().lastAvailTime;
    c.run(lastReply + 5000 - c.now, 10); // exactly 5 × ping-period since the last reply
    expect(reason(c, 6380)).toBeNull();
    c.run(100, 10);
    expect(reason(c, 6380)).toBe("no-recent-ping-reply");
    expect(c.saw(0, "+sdown")).toBe(false);
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("4. slave_priority 0 (never promoted, however good otherwise)", () => {
    const c = cluster();
    c.node(6380).priority = 0;
    c.node(6380).offset = 999999;
    c.run(11000);
    expect(reason(c, 6380)).toBe("priority-zero");
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("5a. INFO older than 3 × info-period while the master is up", () => {
    const c = cluster();
    c.node(6380).infoHangs = true;
    const last = masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.infoRefresh;
    c.run(last + 30000 - c.now); // exactly 3 × info-period old
    expect(reason(c, 6380)).toBeNull();
    c.run(100);
    expect(reason(c, 6380)).toBe("info-too-old");
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("5b. INFO older than 5 × ping-period while the master is SDOWN (automatic failover)", () => {
    const c = cluster(1000);
    c.node(6380).infoHangs = true;
    c.run(2000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+selected-slave"), 5000, 10);
    expect(c.eventsOf(0, "+selected-slave")[0]!.value.payload).toBe(slave(6381));
  });

  it("5c. a replica that never answered INFO is never promoted", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 5000 });
    c.node(6380).infoHangs = true;
    c.run(12000);
    expect(masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.infoRefresh).toBe(0);
    expect(reason(c, 6380)).toBe("info-too-old");
    expect(c.call(0, (e, now) => e.failover(now, "mymaster")).result).toBe("nogoodslave");
  });

  it("6. master link down for longer than 10 × down-after (plus the master's SDOWN time)", () => {
    const c = cluster(1000);
    c.node(6380).linkDownSinceSeconds = 10; // exactly 10 × down-after: still acceptable
    c.run(11000);
    expect(reason(c, 6380)).toBeNull();
    c.node(6380).linkDownSinceSeconds = 11;
    c.run(11000);
    expect(reason(c, 6380)).toBe("master-link-down-too-long");
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("Vigil's extra rule: a node that reports role:master (an old master back) is never promoted", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs: 1000 });
    c.node(6380).priority = 1;
    c.run(12000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 10);
    // The old master returns, still a master with the smallest run id; 6381 ties with it otherwise.
    c.node(6381).offset = 0;
    c.restart(6379);
    c.run(2000);
    expect(c.node(6379).role).toBe("master"); // not converted yet (4 × publish-period)
    expect(reason(c, 6379)).toBe("reports-master");
    expect(manualFailover(c)).toBe("slave 127.0.0.1:6381 127.0.0.1 6381 @ mymaster 127.0.0.1 6380");
  });

  it("all excluded: the automatic failover aborts with -failover-abort-no-good-slave", () => {
    const c = cluster(1000);
    c.node(6380).priority = 0;
    c.node(6381).linkDownSinceSeconds = 3600;
    c.run(11000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "-failover-abort-no-good-slave"), 5000, 10);
    expect(c.saw(0, "+selected-slave")).toBe(false);
  });
});

describe("ranking order through the engine", () => {
  function equalReplicas(): MiniCluster {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs: 5000 });
    return c;
  }

  it("lower priority first", () => {
    const c = equalReplicas();
    c.node(6381).priority = 50;
    c.run(12000);
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("then the larger replication offset", () => {
    const c = equalReplicas();
    c.node(6381).offset = 2000;
    c.run(12000);
    expect(manualFailover(c)).toBe(slave(6381));
  });

  it("then the smaller run id (case-insensitively)", () => {
    const c = equalReplicas();
    c.node(6380).runId = "B".repeat(40);
    c.node(6381).runId = "a".repeat(40);
    c.run(12000);
    expect(manualFailover(c)).toBe(slave(6381));
  });
});

describe("eager selection waits for fresh INFO instead of aborting", () => {
  it("fast profile, quorum 1: the first automatic attempt succeeds although replica INFO was seconds old", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs: 1000 });
    c.run(12000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master") || c.saw(0, "-failover-abort-no-good-slave"), 5000, 10);
    expect(c.saw(0, "-failover-abort-no-good-slave")).toBe(false);
    expect(c.saw(0, "+switch-master")).toBe(true);
    // It waited only for the INFO round trip.
    expect(c.firstAt(0, "+selected-slave") - c.firstAt(0, "+failover-state-select-slave")).toBeLessThanOrEqual(10);
  });

  it("but gives up after one INFO-validity window (5 × ping-period) when no INFO comes back", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000 });
    c.run(12000);
    c.node(6380).infoHangs = true;
    c.run(1000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "-failover-abort-no-good-slave"), 5000, 10);
    const waited = c.firstAt(0, "-failover-abort-no-good-slave") - c.firstAt(0, "+failover-state-select-slave");
    expect(waited).toBeGreaterThan(500);
    expect(waited).toBeLessThanOrEqual(510);
  });

  it("the sentinel profile keeps Sentinel's behaviour: one step per tick, no waiting", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000, timing: "sentinel" });
    c.run(12000);
    c.node(6380).infoHangs = true;
    c.run(6000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "-failover-abort-no-good-slave"), 10000, 100);
    expect(c.firstAt(0, "-failover-abort-no-good-slave") - c.firstAt(0, "+failover-state-select-slave")).toBe(100);
  });
});
