// TILT (§14) through the engine: entry on clock jumps, exit after tilt-period, and what stops meanwhile.
import { describe, expect, it } from "vitest";
import { MiniCluster } from "./support/mini-cluster.js";

/** Move the clock of the whole cluster by `ms` (possibly negative) and tick sentinel `i` once. */
function jump(c: MiniCluster, ms: number, i = 0): void {
  c.now += ms;
  c.feed(i, { kind: "tick", now: c.now });
}

function lone(quorum = 1): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum, downAfterMs: 1000 });
  c.run(12000);
  return c;
}

describe("TILT entry and exit", () => {
  it("a timer gap above tilt-trigger (2000 ms) enters TILT; exactly 2000 ms does not", () => {
    const c = lone();
    jump(c, 2000);
    expect(c.engine().inTilt()).toBe(false);
    jump(c, 2001);
    expect(c.engine().inTilt()).toBe(true);
    expect(c.engine().tiltSince()).toBe(c.now);
    expect(c.eventsOf(0, "+tilt").map((e) => [e.value.payload, e.value.level, e.value.master])).toEqual([["#tilt mode entered", "warning", undefined]]);
  });

  it("a clock going backwards enters TILT", () => {
    const c = lone();
    jump(c, -1);
    expect(c.engine().inTilt()).toBe(true);
    expect(c.saw(0, "+tilt")).toBe(true);
  });

  it("exits with -tilt on the first tick more than tilt-period (30 s) after the last trigger", () => {
    const c = lone();
    jump(c, 5000);
    const since = c.now;
    c.runUntil(() => c.saw(0, "-tilt"), 40000, 10);
    const exit = c.eventsOf(0, "-tilt")[0]!;
    expect(exit.value.payload).toBe("#tilt mode exited");
    expect(exit.at - since).toBeGreaterThan(30000);
    expect(exit.at - since).toBeLessThanOrEqual(30010);
    expect(c.engine().inTilt()).toBe(false);
    expect(c.engine().tiltSince()).toBe(0);
  });

  it("a new trigger while in TILT re-emits +tilt and restarts the period", () => {
    const c = lone();
    jump(c, 5000);
    c.run(20000);
    jump(c, 5000);
    const second = c.now;
    expect(c.eventsOf(0, "+tilt")).toHaveLength(2);
    c.run(29000);
    expect(c.engine().inTilt()).toBe(true);
    c.runUntil(() => c.saw(0, "-tilt"), 2000, 10);
    expect(c.firstAt(0, "-tilt") - second).toBeGreaterThan(30000);
  });

  it("the trigger and period follow the engine's timing (SENTINEL DEBUG)", () => {
    const c = lone();
    c.engine().timing.tiltTrigger = 500;
    c.engine().timing.tiltPeriod = 1000;
    jump(c, 600);
    expect(c.engine().inTilt()).toBe(true);
    c.runUntil(() => c.saw(0, "-tilt"), 2000, 10);
    expect(c.firstAt(0, "-tilt") - c.firstAt(0, "+tilt")).toBeLessThanOrEqual(1010);
  });
});

describe("while in TILT", () => {
  it("the monitoring half continues (PING, INFO, hello) but SDOWN/ODOWN/failover do not happen", () => {
    const c = lone();
    jump(c, 5000);
    const t0 = c.now;
    c.kill(6379);
    c.run(25000);
    expect(c.engine().inTilt()).toBe(true);
    const during = (kind: "ping" | "info" | "publish-hello" | "reconfigure" | "ask-master-down") => c.commandsOf(0, kind).filter((x) => x.at >= t0).length;
    // The replica is pinged every down-after / 5 = 200 ms (fast profile), i.e. every 300 ms at 100 ms ticks.
    expect(during("ping")).toBeGreaterThan(70);
    expect(during("info")).toBeGreaterThan(0);
    expect(during("publish-hello")).toBeGreaterThan(0);
    expect(during("reconfigure")).toBe(0);
    for (const t of ["+sdown", "+odown", "+try-failover"]) expect(c.saw(0, t)).toBe(false);
    // After TILT the acting half resumes and the failover happens.
    c.runUntil(() => c.saw(0, "+switch-master"), 10000, 10);
    expect(c.firstAt(0, "+sdown")).toBeGreaterThan(c.firstAt(0, "-tilt") - 1);
    expect(c.saw(0, "+switch-master")).toBe(true);
  });

  it("an ODOWN master does not fail over until TILT ends", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000 });
    c.run(12000);
    c.addFakePeer(0, 0, (args) => (args[3] === "*" ? [1, "*", 0] : [1, args[3], Number(args[2])]));
    c.node(6379).pingHangs = true;
    jump(c, 3000); // TILT before SDOWN can be evaluated
    c.run(20000);
    expect(c.saw(0, "+sdown")).toBe(false);
    expect(c.commandsOf(0, "ask-master-down")).toEqual([]);
    c.runUntil(() => c.saw(0, "+switch-master"), 15000, 10);
    expect(c.firstAt(0, "+try-failover")).toBeGreaterThanOrEqual(c.firstAt(0, "-tilt"));
  });

  it("a manual SENTINEL FAILOVER is accepted but makes no step until TILT ends", () => {
    const c = lone();
    jump(c, 5000);
    c.run(1000); // fresh PING replies after the jump (§12 rule 3)
    const r = c.call(0, (e, now) => e.failover(now, "mymaster"));
    expect(r.result).toBe("ok");
    expect(r.output.events.map((e) => e.type)).toEqual(["+new-epoch", "+try-failover"]);
    expect(r.output.commands.filter((x) => x.kind === "reconfigure")).toEqual([]);
    c.run(20000);
    expect(c.state()).toBe("wait_start");
    expect(c.saw(0, "+elected-leader")).toBe(false);
    c.runUntil(() => c.saw(0, "+switch-master"), 15000, 10);
    expect(c.firstAt(0, "+elected-leader")).toBeGreaterThanOrEqual(c.firstAt(0, "-tilt"));
  });

  it("votes are still granted, but down_state is 0", () => {
    const c = lone(3); // quorum 3 with no peers: SDOWN never becomes ODOWN
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 3000, 10);
    expect(c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 1, "r".repeat(40))).reply).toEqual([1, "r".repeat(40), 1]);
    jump(c, 5000);
    const { reply, output } = c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 2, "q".repeat(40)));
    expect(reply).toEqual([0, "q".repeat(40), 2]);
    expect(output.events.map((e) => e.type)).toEqual(["+new-epoch", "+vote-for-leader"]);
    expect(output.commands[0]!.kind).toBe("persist");
    expect(c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 0, "*")).reply).toEqual([0, "*", 0]);
  });

  it("INFO role bookkeeping continues, its acting part (convert-to-slave) waits", () => {
    const c = lone(2);
    jump(c, 5000);
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.run(20000);
    expect(c.saw(0, "-role-change")).toBe(true); // bookkeeping, even in TILT
    expect(c.saw(0, "+convert-to-slave")).toBe(false);
    c.runUntil(() => c.saw(0, "+convert-to-slave"), 20000, 100);
    expect(c.firstAt(0, "+convert-to-slave")).toBeGreaterThan(c.firstAt(0, "-tilt"));
    expect(r.role).toBe("slave");
  });
});
