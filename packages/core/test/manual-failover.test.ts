// SENTINEL FAILOVER (§11.10): INPROG, NOGOODSLAVE, and a forced failover that needs no votes.
import { describe, expect, it } from "vitest";
import { instanceFlags } from "../src/index.js";
import { summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

function cluster(sentinels = 3, replicas = [6380, 6381]): MiniCluster {
  const c = new MiniCluster({ sentinels, master: 6379, replicas, quorum: 2, downAfterMs: 1000 });
  c.run(5000);
  return c;
}

describe("SENTINEL FAILOVER refusals", () => {
  it("no-such-master for an unknown name, with no output", () => {
    const c = cluster(1);
    const r = c.call(0, (e, now) => e.failover(now, "nope"));
    expect(r.result).toBe("no-such-master");
    expect(r.output).toEqual({ commands: [], events: [] });
  });

  it("NOGOODSLAVE when there is no replica at all", () => {
    const c = cluster(1, []);
    const r = c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(r.result).toBe("nogoodslave");
    expect(r.output.events).toEqual([]);
    expect(c.engine().currentEpoch()).toBe(0);
    expect(c.state()).toBe("none");
  });

  it("NOGOODSLAVE when replica selection currently returns nothing (priority 0)", () => {
    const c = cluster(1);
    c.node(6380).priority = 0;
    c.node(6381).priority = 0;
    c.run(11000);
    expect(c.call(0, (e, now) => e.failover(now, "mymaster")).result).toBe("nogoodslave");
    c.node(6381).priority = 5;
    c.run(11000);
    expect(c.call(0, (e, now) => e.failover(now, "mymaster")).result).toBe("ok");
  });

  it("INPROG while a failover is in progress", () => {
    const c = cluster(1);
    c.node(6380).ignoresSlaveof = true;
    c.node(6381).ignoresSlaveof = true;
    expect(c.call(0, (e, now) => e.failover(now, "mymaster")).result).toBe("ok");
    expect(c.state()).toBe("wait_promotion");
    const again = c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(again.result).toBe("inprog");
    expect(again.output.events).toEqual([]);
    expect(c.engine().currentEpoch()).toBe(1);
  });
});

describe("forced failover", () => {
  it("proceeds without ODOWN or any vote, even with every other sentinel down, and asks nobody", () => {
    const c = cluster(3);
    c.sentinels[1]!.alive = false;
    c.sentinels[2]!.alive = false;
    const t0 = c.now;
    const r = c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(r.result).toBe("ok");
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 10);
    const seq = c.sentinels[0]!.timeline.filter((e) => e.at >= t0 && !e.value.type.includes("link") && !e.value.type.includes("role-change")).map((e) => e.value.type);
    expect(seq.slice(0, 14)).toEqual([
      "+new-epoch",
      "+try-failover",
      "+vote-for-leader",
      "+elected-leader",
      "+failover-state-select-slave",
      "+selected-slave",
      "+failover-state-send-slaveof-noone",
      "+failover-state-wait-promotion",
      "+promoted-slave",
      "+failover-state-reconf-slaves",
      // The old master, still alive, is fenced and its clients disconnected at once (Vigil).
      "+fence-stale-master",
      "+slave-reconf-sent",
      "+slave-reconf-inprog",
      "+slave-reconf-done",
    ]);
    expect(seq).toContain("+switch-master");
    expect(seq).not.toContain("+odown");
    expect(seq).not.toContain("+sdown");
    // The self-vote is still recorded for the new epoch.
    expect(c.eventsOf(0, "+vote-for-leader")[0]!.value.payload).toBe(`${c.engine().myId} 1`);
    // No IS-MASTER-DOWN-BY-ADDR: the master is not SDOWN.
    expect(c.commandsOf(0, "ask-master-down").filter((a) => a.at >= t0)).toEqual([]);
  });

  it("shows failover_in_progress,force_failover while running, and other sentinels learn the result from hellos", () => {
    const c = cluster(3);
    const m = c.engine().view().master("mymaster")!;
    const seen = new Set<string>();
    c.afterStep = (i) => {
      if (i === 0) seen.add(`${c.state()} ${instanceFlags(m)}`);
    };
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(seen).toContain("wait_promotion master,failover_in_progress,force_failover");
    expect(seen).toContain("reconf_slaves master,failover_in_progress,force_failover");
    c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 20000, 10);
    c.afterStep = undefined;
    c.run(500); // the pub/sub link killed by CLIENT KILL TYPE pubsub reconnects
    expect(instanceFlags(m)).toBe("master");
    const promoted = c.masterAddrs()[0]!;
    expect(c.masterAddrs()).toEqual([promoted, promoted, promoted]);
    for (const i of [1, 2]) {
      expect(c.saw(i, "+config-update-from")).toBe(true);
      expect(c.eventsOf(i, "+config-update-from")[0]!.value.payload).toBe(`sentinel ${c.engine(0).myId} 127.0.0.1 26379 @ mymaster 127.0.0.1 6379`);
      expect(c.saw(i, "+try-failover")).toBe(false);
      expect(summary(c.engine(i)).masters[0]!.configEpoch).toBe(1);
    }
  });

  it("the old master, still alive, is converted to a replica of the new one", () => {
    const c = cluster(3);
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 10);
    const newPort = summary(c.engine()).masters[0]!.addr.port;
    c.runUntil(() => c.node(6379).role === "slave", 20000, 100);
    expect(c.node(6379).master).toEqual({ host: "127.0.0.1", port: newPort });
    expect(c.sentinels.some((_s, i) => c.saw(i, "+convert-to-slave"))).toBe(true);
  });
});

describe("SENTINEL SIMULATE-FAILURE (§11.2, §11.5)", () => {
  it("crash-after-election: a crash command right after +elected-leader, before any SLAVEOF", () => {
    const c = cluster(1);
    c.engine().simulateFailureFlags = 1;
    const { output } = c.call(0, (e, now) => e.failover(now, "mymaster"));
    const kinds = output.commands.map((x) => x.kind);
    expect(kinds).toContain("crash");
    expect(output.commands.find((x) => x.kind === "crash")).toEqual({ kind: "crash", reason: "crash-after-election" });
    const reconf = kinds.indexOf("reconfigure");
    expect(reconf === -1 || reconf > kinds.indexOf("crash")).toBe(true);
  });

  it("crash-after-promotion: the new config epoch is persisted before the crash command", () => {
    const c = cluster(1);
    c.engine().simulateFailureFlags = 2;
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    c.runUntil(() => c.saw(0, "+promoted-slave"), 2000, 10);
    const out = c.sentinels[0]!.outputs.find((o) => o.events.some((e) => e.type === "+promoted-slave"))!;
    const kinds = out.commands.map((x) => x.kind);
    expect(kinds.indexOf("crash")).toBeGreaterThan(kinds.indexOf("persist"));
    expect(kinds.indexOf("persist")).toBeGreaterThanOrEqual(0);
    expect(out.commands.find((x) => x.kind === "crash")).toEqual({ kind: "crash", reason: "crash-after-promotion" });
    expect(c.commandsOf(0, "crash").map((x) => x.value.reason)).toEqual(["crash-after-promotion"]);
  });
});
