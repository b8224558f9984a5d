// What the outside world sees during a failover: GET-MASTER-ADDR-BY-NAME (§17.1), hellos (§7.1) and the
// persisted state (§19.3) switch to the promoted replica from RECONF_SLAVES on (§11.5).
import { describe, expect, it } from "vitest";
import { decodeHello, isHelloRejection } from "../src/index.js";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const OLD = { host: "127.0.0.1", port: 6379 };
const NEW = { host: "127.0.0.1", port: 6380 };

/** Lone leader; 6380 is promoted; 6381 never follows, so RECONF_SLAVES lasts the whole failover-timeout. */
function midFailover() {
  const c = new MiniCluster({
    sentinels: 1,
    master: 6379,
    replicas: [6380, 6381],
    quorum: 1,
    downAfterMs: 1000,
    failoverTimeoutMs: 60000,
    masterSettings: { clientReconfigScript: "/bin/reconf" },
  });
  c.node(6380).priority = 1;
  c.node(6381).ignoresSlaveof = true;
  c.run(12000);
  const seen = new Map<string, Set<string>>();
  c.afterStep = () => {
    const st = c.state();
    const a = c.engine().getMasterAddrByName("mymaster")!;
    if (!seen.has(st)) seen.set(st, new Set());
    seen.get(st)!.add(`${a.host}:${a.port}`);
  };
  c.kill(6379);
  c.runUntil(() => c.saw(0, "+promoted-slave"), 5000, 10);
  c.run(1000, 10);
  c.afterStep = undefined;
  expect(c.state()).toBe("reconf_slaves");
  return { c, seen };
}

describe("GET-MASTER-ADDR-BY-NAME", () => {
  it("answers the old master up to WAIT_PROMOTION and the promoted replica from RECONF_SLAVES on", () => {
    const { c, seen } = midFailover();
    for (const st of ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion"]) {
      if (seen.has(st)) expect([...seen.get(st)!]).toEqual(["127.0.0.1:6379"]);
    }
    expect(seen.has("wait_promotion")).toBe(true);
    expect([...seen.get("reconf_slaves")!]).toEqual(["127.0.0.1:6380"]);
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual(NEW);
    const v = summary(c.engine()).masters[0]!;
    expect(v.addr).toEqual(OLD); // the record itself moves only at the switch
    expect(v.currentAddr).toEqual(NEW);
    c.runUntil(() => c.saw(0, "+switch-master"), 70000, 100);
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual(NEW);
    expect(summary(c.engine()).masters[0]!.addr).toEqual(NEW);
  });

  it("answers null for an unknown name", () => {
    const { c } = midFailover();
    expect(c.engine().getMasterAddrByName("nope")).toBeNull();
  });
});

describe("mid-failover state (RECONF_SLAVES)", () => {
  it("is persisted at promotion: current address = promoted replica, known-replica lists the old master instead", () => {
    const { c } = midFailover();
    const promotion = c.sentinels[0]!.outputs.find((o) => o.events.some((e) => e.type === "+promoted-slave"))!;
    expect(promotion.commands[0]!.kind).toBe("persist");
    const p = c.sentinels[0]!.persisted!;
    const pm = p.masters[0]!;
    expect([pm.settings.host, pm.settings.port]).toEqual([NEW.host, NEW.port]);
    expect(pm.configEpoch).toBe(1);
    expect(pm.knownReplicas).toEqual([OLD, { host: "127.0.0.1", port: 6381 }]);
    expect(c.engine().persistedState()).toEqual(p);
    // The live settings are untouched until the switch.
    expect(masterRecordOf(c.engine(), "mymaster")!.settings.port).toBe(6379);
  });

  it("hellos advertise the promoted replica with the new config epoch right after the promotion", () => {
    const { c } = midFailover();
    const promotedAt = c.firstAt(0, "+promoted-slave");
    const hellos = c.commandsOf(0, "publish-hello").filter((h) => h.at >= promotedAt);
    expect(hellos.length).toBeGreaterThan(0);
    expect(hellos[0]!.at).toBe(promotedAt); // forced hello update (§5.3), sent at once in eager mode
    for (const h of hellos) {
      const m = decodeHello(h.value.payload);
      if (isHelloRejection(m)) throw new Error(m.reason);
      expect([m.masterIp, m.masterPort, m.masterConfigEpoch, m.currentEpoch]).toEqual([NEW.host, NEW.port, 1, 1]);
    }
    const before = c.commandsOf(0, "publish-hello").filter((h) => h.at < promotedAt).at(-1)!;
    expect(before.value.payload).toContain(",mymaster,127.0.0.1,6379,0");
  });

  it("runs the client-reconfig script as leader at the promotion", () => {
    const { c } = midFailover();
    const scripts = c.commandsOf(0, "run-script").filter((s) => s.value.script === "client-reconfig");
    expect(scripts.map((s) => s.value.args)).toEqual([["mymaster", "leader", "start", "127.0.0.1", "6379", "127.0.0.1", "6380"]]);
    expect(scripts[0]!.at).toBe(c.firstAt(0, "+promoted-slave"));
  });
});
