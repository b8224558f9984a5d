// Coordinated switchover (SENTINEL FAILOVER <m> COORDINATED): refusals before anything changes,
// the stuck-hand-over rule, and the INFO field it reads.
import { describe, expect, it } from "vitest";
import { parseInfo, stuckInFailover, switchoverRefusal } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

describe("switchover refusals", () => {
  it("a master whose INFO has no master_failover_state (Redis < 6.2) is refused, with no output and no epoch", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2, downAfterMs: 1000 });
    c.run(5000);
    const r = c.call(0, (e, now) => e.failover(now, "mymaster", {}));
    expect(r.result).toBe("not-supported");
    expect(r.output).toEqual({ commands: [], events: [] });
    expect(c.engine().currentEpoch()).toBe(0);
    expect(c.state()).toBe("none");
  });

  const base = { masterUsable: true, masterFailoverState: "no-failover", eligible: ["127.0.0.1:6380", "127.0.0.1:6381"], requested: null, requestedKnown: false };
  it("decides in order: requested replica known, master usable, FAILOVER known, requested replica eligible", () => {
    expect(switchoverRefusal(base)).toBeNull();
    expect(switchoverRefusal({ ...base, masterUsable: false })).toBe("master-down");
    expect(switchoverRefusal({ ...base, masterFailoverState: null })).toBe("not-supported");
    expect(switchoverRefusal({ ...base, requested: "127.0.0.1:1", requestedKnown: false })).toBe("no-such-replica");
    expect(switchoverRefusal({ ...base, requested: "127.0.0.1:6382", requestedKnown: true })).toBe("nogoodslave");
    expect(switchoverRefusal({ ...base, requested: "127.0.0.1:6381", requestedKnown: true })).toBeNull();
    expect(switchoverRefusal({ ...base, eligible: [] })).toBe("nogoodslave");
    expect(switchoverRefusal({ ...base, masterUsable: false, requested: "127.0.0.1:1" })).toBe("no-such-replica");
  });
});

describe("stuck hand-over", () => {
  it("failover-in-progress is stuck after half of down-after; waiting-for-sync after failover-timeout", () => {
    expect(stuckInFailover("failover-in-progress", 0, 500, 1000, 6000)).toBe(false);
    expect(stuckInFailover("failover-in-progress", 0, 501, 1000, 6000)).toBe(true);
    expect(stuckInFailover("waiting-for-sync", 0, 5000, 1000, 6000)).toBe(false);
    expect(stuckInFailover("waiting-for-sync", 0, 6001, 1000, 6000)).toBe(true);
    expect(stuckInFailover("no-failover", 0, 1e9, 1000, 6000)).toBe(false);
    expect(stuckInFailover(null, 0, 1e9, 1000, 6000)).toBe(false);
  });

  it("INFO's master_failover_state is read in either role (a master mid-hand-over reports role:slave)", () => {
    const asSlave = parseInfo("# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6380\r\nmaster_failover_state:failover-in-progress\r\n");
    expect(asSlave).toMatchObject({ role: "slave", failoverState: "failover-in-progress" });
    expect(parseInfo("role:master\r\nmaster_failover_state:no-failover\r\n")).toMatchObject({ failoverState: "no-failover" });
    expect(parseInfo("role:master\r\n")).toMatchObject({ failoverState: undefined });
  });
});
