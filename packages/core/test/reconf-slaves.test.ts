// RECONF_SLAVES (§11.6), end detection (§11.7) and the switch (§11.8), on a real engine.
import { describe, expect, it } from "vitest";
import { summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const slave = (port: number, masterPort = 6379) => `slave 127.0.0.1:${port} 127.0.0.1 ${port} @ mymaster 127.0.0.1 ${masterPort}`;

/** One sentinel (quorum 1), the master on 6379, replica 6380 preferred for promotion. */
function cluster(replicas: number[], parallelSyncs: number, failoverTimeoutMs = 10000): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas, quorum: 1, downAfterMs: 1000, failoverTimeoutMs, masterSettings: { parallelSyncs } });
  c.node(6380).priority = 1;
  c.run(12000);
  expect(summary(c.engine()).masters[0]!.replicas).toHaveLength(replicas.length);
  return c;
}

function inProgress(c: MiniCluster): number {
  return summary(c.engine()).masters[0]!.replicas.filter((r) => r.reconf === "sent" || r.reconf === "inprog").length;
}

describe("parallel-syncs", () => {
  for (const n of [1, 2, 3]) {
    it(`parallel-syncs ${n}: never more than ${n} replicas being reconfigured at once`, () => {
      const c = cluster([6380, 6381, 6382, 6383, 6384], n);
      for (const p of [6381, 6382, 6383, 6384]) c.node(p).syncDelayMs = 1000;
      let max = 0;
      c.afterStep = () => {
        const k = inProgress(c);
        expect(k).toBeLessThanOrEqual(n);
        max = Math.max(max, k);
      };
      c.kill(6379);
      c.runUntil(() => c.saw(0, "+switch-master"), 20000, 10);
      c.afterStep = undefined;
      expect(max).toBe(n);
      // The first batch is sent in the same instant; the next only when one of them is done.
      const sent = c.eventsOf(0, "+slave-reconf-sent");
      expect(sent).toHaveLength(4);
      expect(sent.filter((e) => e.at === sent[0]!.at)).toHaveLength(n);
      const firstDone = c.firstAt(0, "+slave-reconf-done");
      expect(sent[n]!.at).toBeGreaterThanOrEqual(firstDone);
      for (const p of [6381, 6382, 6383, 6384]) expect(c.node(p).master).toEqual({ host: "127.0.0.1", port: 6380 });
      expect(c.saw(0, "+failover-end-for-timeout")).toBe(false);
    });
  }

  it("each replica goes sent → inprog (points at the new master) → done (link up), with its %@", () => {
    const c = cluster([6380, 6381], 1);
    c.node(6381).syncDelayMs = 500;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 10000, 10);
    const seq = c.sentinels[0]!.timeline.filter((e) => e.value.type.startsWith("+slave-reconf")).map((e) => [e.value.type, e.value.payload]);
    expect(seq).toEqual([
      ["+slave-reconf-sent", slave(6381)],
      ["+slave-reconf-inprog", slave(6381)],
      ["+slave-reconf-done", slave(6381)],
    ]);
    expect(c.firstAt(0, "+slave-reconf-done") - c.firstAt(0, "+slave-reconf-inprog")).toBeGreaterThanOrEqual(500);
    const reconf = c.commandsOf(0, "reconfigure").map((r) => [r.value.addr.port, r.value.target?.port ?? null]);
    expect(reconf).toEqual([
      [6380, null],
      [6381, 6380],
    ]);
  });

  it("SDOWN replicas are not waited for", () => {
    const c = cluster([6380, 6381, 6382], 1);
    c.kill(6382);
    c.runUntil(() => c.saw(0, "+sdown"), 3000, 10);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 10000, 10);
    expect(c.saw(0, "+failover-end-for-timeout")).toBe(false);
    expect(c.eventsOf(0, "+slave-reconf-sent").map((e) => e.value.payload)).toEqual([slave(6381)]);
  });
});

describe("timeouts in RECONF_SLAVES", () => {
  it("-slave-reconf-sent-timeout: a replica that makes no progress for slave-reconf-timeout is considered done", () => {
    const c = cluster([6380, 6381, 6382], 2, 60000);
    c.node(6382).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "-slave-reconf-sent-timeout"), 20000, 10);
    const sentAt = c.eventsOf(0, "+slave-reconf-sent").find((e) => e.value.payload === slave(6382))!.at;
    const timeout = c.eventsOf(0, "-slave-reconf-sent-timeout")[0]!;
    expect(timeout.value.payload).toBe(slave(6382));
    expect(timeout.at - sentAt).toBeGreaterThan(10000);
    expect(timeout.at - sentAt).toBeLessThanOrEqual(10010);
    c.runUntil(() => c.saw(0, "+switch-master"), 1000, 10);
    expect(c.saw(0, "+failover-end")).toBe(true);
    expect(c.saw(0, "+failover-end-for-timeout")).toBe(false);
    expect(c.saw(0, "+slave-reconf-sent-be")).toBe(false);
  });

  it("+failover-end-for-timeout after failover-timeout, then +failover-end and +slave-reconf-sent-be to the replicas never reached", () => {
    // parallel-syncs 1 and a stalled first replica: Sentinel's quirk (§23) means its 10 s stall timeout is
    // never evaluated, so the other replica waits until the whole phase times out.
    const c = cluster([6380, 6381, 6382], 1);
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+failover-state-reconf-slaves"), 5000, 10);
    const phase = c.firstAt(0, "+failover-state-reconf-slaves");
    c.runUntil(() => c.saw(0, "+switch-master"), 15000, 10);
    const tail = c.sentinels[0]!.timeline
      .filter((e) => e.at >= phase && /reconf|failover-end|switch-master/.test(e.value.type))
      .map((e) => `${e.value.type} ${e.value.payload}`);
    expect(tail).toEqual([
      "+failover-state-reconf-slaves master mymaster 127.0.0.1 6379",
      `+slave-reconf-sent ${slave(6381)}`,
      "+failover-end-for-timeout master mymaster 127.0.0.1 6379",
      "+failover-end master mymaster 127.0.0.1 6379",
      `+slave-reconf-sent-be ${slave(6382)}`,
      "+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380",
    ]);
    const end = c.firstAt(0, "+failover-end-for-timeout");
    expect(end - phase).toBeGreaterThan(10000);
    expect(end - phase).toBeLessThanOrEqual(10010);
    expect(c.saw(0, "-slave-reconf-sent-timeout")).toBe(false);
    const be = c.commandsOf(0, "reconfigure").filter((r) => r.at === end);
    expect(be.map((r) => [r.value.addr.port, r.value.target?.port])).toEqual([[6382, 6380]]);
    expect(c.node(6382).master).toEqual({ host: "127.0.0.1", port: 6380 });
  });

  it("the phase cannot end while the promoted replica is SDOWN", () => {
    const c = cluster([6380, 6381], 1);
    c.node(6381).ignoresSlaveof = true;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+failover-state-reconf-slaves"), 5000, 10);
    c.kill(6380);
    c.run(25000, 100);
    expect(c.saw(0, "+failover-end")).toBe(false);
    expect(c.state()).toBe("reconf_slaves");
    c.restart(6380);
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 10);
    expect(c.saw(0, "+failover-end-for-timeout")).toBe(true);
  });
});

describe("the switch (§11.8)", () => {
  it("+switch-master with old and new address, then +slave for every replica including the old master", () => {
    const c = cluster([6380, 6381], 1);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 10000, 10);
    const at = c.firstAt(0, "+switch-master");
    const after = c.sentinels[0]!.timeline.filter((e) => e.at === at && /switch-master|\+slave$/.test(e.value.type)).map((e) => `${e.value.type} ${e.value.payload}`);
    expect(after).toEqual([
      "+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380",
      `+slave ${slave(6381, 6380)}`,
      `+slave ${slave(6379, 6380)}`,
    ]);
    const v = summary(c.engine()).masters[0]!;
    expect(v.addr).toEqual({ host: "127.0.0.1", port: 6380 });
    expect(v.failoverState).toBe("none");
    expect(v.configEpoch).toBe(1);
    expect(v.replicas.map((r) => r.key)).toEqual(["127.0.0.1:6381", "127.0.0.1:6379"]);
    // Persisted right away (§19.4).
    const p = c.sentinels[0]!.persisted!.masters[0]!;
    expect([p.settings.host, p.settings.port, p.configEpoch]).toEqual(["127.0.0.1", 6380, 1]);
    expect(p.knownReplicas).toEqual([
      { host: "127.0.0.1", port: 6381 },
      { host: "127.0.0.1", port: 6379 },
    ]);
  });
});
