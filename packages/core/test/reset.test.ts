// SENTINEL RESET (§13.1) and reset-and-change-address (§13.2).
import { describe, expect, it } from "vitest";
import { instanceFlags } from "../src/index.js";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

function cluster(opts: { sentinels?: number; quorum?: number } = {}): MiniCluster {
  const c = new MiniCluster({ sentinels: opts.sentinels ?? 3, master: 6379, replicas: [6380, 6381], quorum: opts.quorum ?? 2, downAfterMs: 1000 });
  c.run(12000);
  return c;
}
const reset = (c: MiniCluster, pattern: (name: string) => boolean, i = 0) => c.call(i, (e, now) => e.reset(now, pattern));

describe("SENTINEL RESET (§13.1)", () => {
  it("drops replicas and sentinels, closes the master links, emits +reset-master and does not persist", () => {
    const c = cluster();
    const before = summary(c.engine()).masters[0]!;
    expect(before.replicas).toHaveLength(2);
    expect(before.sentinels).toHaveLength(2);
    const { count, output } = reset(c, (n) => n === "mymaster");
    expect(count).toBe(1);
    expect(output.events.map((e) => `${e.type} ${e.payload}`)).toEqual(["+reset-master master mymaster 127.0.0.1 6379"]);
    expect(output.commands.filter((x) => x.kind === "persist")).toEqual([]);
    const closed = output.commands.filter((x) => x.kind === "disconnect").map((x) => (x.kind === "disconnect" ? `${x.addr.port}/${x.link}` : ""));
    expect(closed).toEqual(expect.arrayContaining(["6379/cmd", "6379/pubsub"]));
    const m = masterRecordOf(c.engine(), "mymaster")!;
    expect(m.replicas.size).toBe(0);
    expect(m.sentinels.size).toBe(0);
    expect(m.runId).toBeNull();
  });

  it("a pattern that matches nothing resets nothing", () => {
    const c = cluster();
    const { count, output } = reset(c, () => false);
    expect(count).toBe(0);
    expect(output).toEqual({ commands: [], events: [] });
    expect(summary(c.engine()).masters[0]!.replicas).toHaveLength(2);
  });

  it("clears SDOWN/ODOWN/failover flags and the vote, keeps config-epoch and leader-epoch", () => {
    const c = cluster({ sentinels: 1, quorum: 1 });
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.state() === "wait_promotion", 5000, 10);
    const m = masterRecordOf(c.engine(), "mymaster")!;
    expect(instanceFlags(c.engine().view().master("mymaster")!)).toBe("s_down,o_down,master,disconnected,failover_in_progress");
    const leaderEpoch = m.leaderEpoch;
    m.configEpoch = 3; // as if learnt earlier
    const { output } = reset(c, () => true);
    expect(output.events.map((e) => e.type)).toEqual(["+reset-master"]); // no -sdown/-odown/abort events
    expect(instanceFlags(c.engine().view().master("mymaster")!)).toBe("master,disconnected");
    const v = summary(c.engine()).masters[0]!;
    expect([v.sdown, v.odown, v.failoverState, v.leader, v.promoted]).toEqual([false, false, "none", null, null]);
    expect(v.leaderEpoch).toBe(leaderEpoch);
    expect(v.configEpoch).toBe(3);
    expect(m.failover.context.startTime).toBe(0);
    expect(m.failover.context.failoverEpoch).toBe(1);
  });

  it("failover_start_time ← 0: a new failover may start at once (no 2 × failover-timeout wait)", () => {
    const c = cluster({ sentinels: 1, quorum: 1 });
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.state() === "wait_promotion", 5000, 10);
    const resetAt = c.now;
    reset(c, () => true);
    // The master is still dead: SDOWN again after down-after from the reset (link timers restarted), then a new attempt.
    c.runUntil(() => c.eventsOf(0, "+try-failover").length === 2, 5000, 10);
    const again = c.eventsOf(0, "+try-failover")[1]!.at;
    expect(c.eventsOf(0, "+sdown")[1]!.at - resetAt).toBeGreaterThan(1000);
    expect(again - resetAt).toBeLessThan(1200);
    expect(c.eventsOf(0, "+new-epoch").map((e) => e.value.payload)).toEqual(["1", "2"]);
  });

  it("replicas and sentinels are re-learnt from INFO and hellos within ~10 s", () => {
    const c = cluster();
    const t0 = c.now;
    reset(c, () => true);
    c.runUntil(() => {
      const v = summary(c.engine()).masters[0]!;
      return v.replicas.length === 2 && v.sentinels.length === 2;
    }, 15000, 10);
    expect(c.now - t0).toBeLessThanOrEqual(10100);
    const after = c.sentinels[0]!.timeline.filter((e) => e.at >= t0).map((e) => e.value.type);
    expect(after.filter((t) => t === "+slave")).toHaveLength(2);
    expect(after.filter((t) => t === "+sentinel")).toHaveLength(2);
  });
});

describe("reset-and-change-address (§13.2)", () => {
  it("after a failover: new address, replicas re-created (+slave) including the old master but not the promoted one, sentinels kept, persisted", () => {
    const c = cluster();
    const peersBefore = summary(c.engine()).masters[0]!.sentinels.map((s) => s.runId).sort();
    c.kill(6379);
    c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 10000, 10);
    for (const [i, s] of c.sentinels.entries()) {
      const at = c.firstAt(i, "+switch-master");
      const out = s.outputs.find((o) => o.events.some((e) => e.type === "+switch-master"))!;
      const newPort = summary(s.engine).masters[0]!.addr.port;
      const other = newPort === 6380 ? 6381 : 6380;
      const added = s.timeline.filter((e) => e.at === at && e.value.type === "+slave").map((e) => e.value.payload);
      expect(added.sort()).toEqual(
        [`slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 ${newPort}`, `slave 127.0.0.1:${other} 127.0.0.1 ${other} @ mymaster 127.0.0.1 ${newPort}`].sort(),
      );
      expect(out.commands.some((x) => x.kind === "persist")).toBe(true);
      const v = summary(s.engine).masters[0]!;
      expect(v.sentinels).toHaveLength(2);
      expect([v.sdown, v.odown, v.failoverState]).toEqual([false, false, "none"]);
      expect(masterRecordOf(s.engine, "mymaster")!.failover.context.startTime).toBe(0);
      expect(s.timeline.filter((e) => e.at >= at && e.value.type === "+sentinel")).toEqual([]);
    }
    expect(summary(c.engine()).masters[0]!.sentinels.map((s) => s.runId).sort()).toEqual(peersBefore);
  });
});
