// Acting on replicas' INFO (§6 steps 4–5): +convert-to-slave and +fix-slave-config.
import { describe, expect, it } from "vitest";
import { masterRecordOf } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const REPLICA = "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379";
const FT = 10000;

function cluster(): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: FT });
  c.run(12000);
  return c;
}

describe("+convert-to-slave", () => {
  it("a replica claiming to be master is re-pointed at the master once its role has been master for 4 × publish-period", () => {
    const c = cluster();
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.runUntil(() => c.saw(0, "+convert-to-slave"), 30000, 10);
    const roleChange = c.eventsOf(0, "-role-change")[0]!;
    expect(roleChange.value.payload).toBe(`${REPLICA} new reported role is master`);
    const convert = c.eventsOf(0, "+convert-to-slave")[0]!;
    expect(convert.value.payload).toBe(REPLICA);
    expect(convert.value.level).toBe("notice");
    expect(convert.at - roleChange.at).toBeGreaterThan(8000); // 4 × publish-period
    expect(convert.at - roleChange.at).toBeLessThanOrEqual(10000 + 10); // decided on the next INFO (10 s period)
    const cmd = c.commandsOf(0, "reconfigure").at(-1)!;
    expect([cmd.at, cmd.value.addr.port, cmd.value.target]).toEqual([convert.at, 6380, { host: "127.0.0.1", port: 6379 }]);
    expect(r.role).toBe("slave");
    expect(r.master).toEqual({ host: "127.0.0.1", port: 6379 });
  });

  it("not while the master does not look sane (SDOWN)", () => {
    const c = cluster();
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 3000, 10);
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.run(30000);
    expect(c.saw(0, "-role-change")).toBe(true);
    expect(c.saw(0, "+convert-to-slave")).toBe(false);
    expect(r.role).toBe("master");
  });

  it("not the replica being promoted by our own failover", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs: 1000, failoverTimeoutMs: 60000 });
    c.run(12000);
    c.node(6381).ignoresSlaveof = true; // keeps the failover in RECONF_SLAVES
    c.node(6380).priority = 1;
    c.run(11000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+promoted-slave"), 5000, 10);
    c.run(30000);
    expect(c.state()).toBe("reconf_slaves");
    expect(c.saw(0, "+convert-to-slave")).toBe(false);
    expect(c.node(6380).role).toBe("master");
  });
});

describe("+fix-slave-config", () => {
  it("a replica following the wrong master is re-pointed after failover-timeout", () => {
    const c = cluster();
    const r = c.node(6380);
    r.master = { host: "127.0.0.1", port: 7000 };
    c.runUntil(() => masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.slaveMasterPort === 7000, 11000, 10);
    const changed = masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6380")!.slaveConfChangeTime;
    expect(changed).toBe(c.now);
    c.runUntil(() => c.saw(0, "+fix-slave-config"), 30000, 10);
    const fix = c.eventsOf(0, "+fix-slave-config")[0]!;
    expect(fix.value.payload).toBe(REPLICA);
    expect(fix.at - changed).toBeGreaterThan(FT);
    expect(fix.at - changed).toBeLessThanOrEqual(FT + 1000 + 10); // next INFO: the replica reports its link down → 1 s period
    expect(r.master).toEqual({ host: "127.0.0.1", port: 6379 });
    const cmd = c.commandsOf(0, "reconfigure").at(-1)!;
    expect(cmd.value.target).toEqual({ host: "127.0.0.1", port: 6379 });
  });

  it("a replica following the right master is left alone", () => {
    const c = cluster();
    c.run(60000);
    expect(c.saw(0, "+fix-slave-config")).toBe(false);
    expect(c.commandsOf(0, "reconfigure")).toEqual([]);
  });

  it("not while the master does not look sane", () => {
    const c = cluster();
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 3000, 10);
    c.node(6380).master = { host: "127.0.0.1", port: 7000 };
    c.run(40000);
    expect(c.saw(0, "+fix-slave-config")).toBe(false);
  });

  it("not during a failover (replicas legitimately point at the promoted one)", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380, 6381], quorum: 1, downAfterMs: 1000, failoverTimeoutMs: FT });
    c.run(12000);
    c.node(6380).priority = 1;
    c.node(6381).ignoresSlaveof = true;
    c.run(11000);
    // 6381 starts following a wrong master; we notice it at `changed`.
    c.node(6381).master = { host: "127.0.0.1", port: 7000 };
    const rec = () => masterRecordOf(c.engine(), "mymaster")!.replicas.get("127.0.0.1:6381")!;
    c.runUntil(() => rec().slaveMasterPort === 7000, 11000, 10);
    const changed = rec().slaveConfChangeTime;
    c.run(2000);
    // A manual failover: the old master stays healthy and sane; RECONF_SLAVES lasts FT from now, so from
    // changed + FT on, only the failover in progress keeps 6381 from being "fixed" back to the old master.
    c.call(0, (e, now) => e.failover(now, "mymaster"));
    c.runUntil(() => c.saw(0, "+promoted-slave"), 2000, 10);
    c.run(changed + FT + 1500 - c.now);
    expect(c.state()).toBe("reconf_slaves");
    expect(c.saw(0, "+fix-slave-config")).toBe(false);
    expect(c.node(6381).master).toEqual({ host: "127.0.0.1", port: 7000 });
  });
});
