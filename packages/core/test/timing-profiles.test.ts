// Timing profiles: `sentinel` reproduces Sentinel's periods (§2); `fast` (the default) fails over within
// a few hundred milliseconds after down-after-milliseconds.
import { describe, expect, it } from "vitest";
import { DEBUG_KEYS, FAST_TIMING, pingInterval, SENTINEL_TIMING, timingFor } from "../src/index.js";
import { MiniCluster, type Stamped } from "./support/mini-cluster.js";

const TICK = 10;

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, k) => t - times[k]!);
}
function at<T extends { addr: { port: number } }>(xs: Stamped<T>[], port: number, from: number): number[] {
  return xs.filter((x) => x.value.addr.port === port && x.at >= from).map((x) => x.at);
}

describe("the sentinel profile", () => {
  it("holds Sentinel's SENTINEL DEBUG defaults (§2) and turns the accelerations off", () => {
    expect(timingFor("sentinel")).toBe(SENTINEL_TIMING);
    expect(Object.fromEntries(DEBUG_KEYS.map(([k, f]) => [k, SENTINEL_TIMING[f]]))).toEqual({
      "INFO-PERIOD": 10000,
      "PING-PERIOD": 1000,
      "ASK-PERIOD": 1000,
      "PUBLISH-PERIOD": 2000,
      "DEFAULT-DOWN-AFTER": 30000,
      "DEFAULT-FAILOVER-TIMEOUT": 180000,
      "TILT-TRIGGER": 2000,
      "TILT-PERIOD": 30000,
      "SLAVE-RECONF-TIMEOUT": 10000,
      "MIN-LINK-RECONNECT-PERIOD": 15000,
      "ELECTION-TIMEOUT": 10000,
      "SCRIPT-MAX-RUNTIME": 60000,
      "SCRIPT-RETRY-DELAY": 30000,
    });
    expect([SENTINEL_TIMING.maxDesync, SENTINEL_TIMING.startJitter, SENTINEL_TIMING.fastInfoPeriod, SENTINEL_TIMING.eager]).toEqual([1000, 0, 1000, false]);
  });

  it("sends INFO every 10 s, PING every 1 s and a hello every 2 s to each instance", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 30000, timing: "sentinel" });
    c.run(5000, TICK);
    const from = c.now;
    c.run(60000, TICK);
    for (const port of [6379, 6380]) {
      const info = gaps(at(c.commandsOf(0, "info"), port, from));
      expect(info.length).toBeGreaterThanOrEqual(5);
      for (const g of info) expect(g).toBe(10000 + TICK); // "older than the period": the first tick after it
      const ping = gaps(at(c.commandsOf(0, "ping"), port, from));
      expect(ping.length).toBeGreaterThanOrEqual(55);
      for (const g of ping) expect(g).toBe(1000 + TICK);
      const hello = gaps(at(c.commandsOf(0, "publish-hello"), port, from));
      expect(hello.length).toBeGreaterThanOrEqual(25);
      for (const g of hello) expect(g).toBe(2000 + TICK);
    }
  });

  it("polls replicas every second once the master is ODOWN (§2, §23.1), the master itself still every 10 s", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 5000, timing: "sentinel" });
    c.run(12000, TICK);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 10000, TICK);
    const from = c.firstAt(0, "+odown");
    c.run(5000, TICK);
    const replica = gaps(at(c.commandsOf(0, "info"), 6380, from));
    expect(replica.length).toBeGreaterThanOrEqual(3);
    for (const g of replica) expect(g).toBeLessThanOrEqual(1000 + TICK);
  });

  it("moves the failover one state per tick (no event-driven shortcuts)", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000, timing: "sentinel" });
    c.run(12000, 100);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 20000, 100);
    const t = (type: string) => c.firstAt(0, type);
    expect(t("+failover-state-select-slave")).toBe(t("+try-failover")); // self-elected at once (1 voter)
    expect(t("+selected-slave") - t("+failover-state-select-slave")).toBe(100);
    expect(t("+failover-state-wait-promotion") - t("+selected-slave")).toBe(100);
    // No immediate INFO after SLAVEOF NO ONE: the promotion is seen on the next (1 s) INFO of the replica.
    const infoAtPromotion = c.commandsOf(0, "info").filter((x) => x.value.addr.port === 6380 && x.at === t("+failover-state-wait-promotion"));
    expect(infoAtPromotion).toEqual([]);
    expect(t("+promoted-slave") - t("+failover-state-wait-promotion")).toBeGreaterThanOrEqual(100);
    expect(t("+promoted-slave") - t("+failover-state-wait-promotion")).toBeLessThanOrEqual(1000 + 100);
  });
});

describe("the fast profile (default)", () => {
  it("is the default and keeps Sentinel's safety-relevant values", () => {
    expect(timingFor("fast")).toBe(FAST_TIMING);
    for (const k of ["infoPeriod", "tiltTrigger", "tiltPeriod", "electionTimeout", "slaveReconfTimeout", "defaultDownAfter", "defaultFailoverTimeout"] as const) {
      expect(FAST_TIMING[k]).toBe(SENTINEL_TIMING[k]);
    }
    expect(FAST_TIMING.eager).toBe(true);
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [], quorum: 1 });
    expect(c.engine().timing).toEqual(FAST_TIMING);
  });

  it("confirms the promotion from an INFO sent right after the SLAVEOF NO ONE reply", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000 });
    c.run(12000, 100);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 5000, 100);
    const sent = c.firstAt(0, "+failover-state-wait-promotion");
    const cmds = c.sentinels[0]!.commands;
    const slaveofNoOne = cmds.findIndex((x) => x.value.kind === "reconfigure" && x.value.target === null);
    const infoAfter = cmds.findIndex((x, k) => k > slaveofNoOne && x.value.kind === "info" && x.value.addr.port === 6380);
    expect(cmds[slaveofNoOne]!.at).toBe(sent);
    expect(cmds[infoAfter]!.at).toBe(sent);
    expect(c.firstAt(0, "+promoted-slave")).toBe(sent);
    // The switch itself happens after the subtree, on the next tick (§3, §11.8).
    expect(c.firstAt(0, "+switch-master") - sent).toBeLessThanOrEqual(100);
  });

  // Adaptive cadence: clamp(down-after / 5, 100, 1000) ms, never above down-after (pingInterval).
  for (const [downAfterMs, period] of [
    [30000, 1000],
    [5000, 1000],
    [2500, 500],
    [1000, 200],
    [400, 100],
  ] as const) {
    it(`PINGs every ${period} ms with down-after ${downAfterMs} ms`, () => {
      expect(pingInterval(FAST_TIMING, downAfterMs)).toBe(period);
      const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs });
      c.run(3000, TICK);
      const from = c.now;
      c.run(6000, TICK);
      for (const port of [6379, 6380]) {
        const g = gaps(at(c.commandsOf(0, "ping"), port, from));
        expect(g.length).toBeGreaterThanOrEqual(4);
        // "Last reply older than the period": the first tick after it (replies are immediate here),
        // or earlier, with a hello or INFO going to the same instance (coalesced traffic), but never
        // within half a period of the previous PING.
        for (const x of g) {
          expect(x).toBeLessThanOrEqual(period + TICK);
          expect(x).toBeGreaterThan(period / 2);
        }
        // The rate is the period's: early PINGs are a phase shift of a few, not a faster cadence.
        expect(g.reduce((a, b) => a + b, 0) / g.length).toBeGreaterThanOrEqual(period);
      }
    });
  }

  it("sends hellos and INFO in the same tick as a PING to the instance, at unchanged rates", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 5000 });
    c.run(5000, TICK);
    const from = c.now;
    c.run(20000, TICK);
    for (const port of [6379, 6380]) {
      const pings = new Set(at(c.commandsOf(0, "ping"), port, from));
      const hellos = at(c.commandsOf(0, "publish-hello"), port, from);
      const infos = at(c.commandsOf(0, "info"), port, from);
      // One hello per 2 s publish period and one INFO per 10 s info period, as before ...
      expect(hellos.length).toBeGreaterThanOrEqual(9);
      expect(hellos.length).toBeLessThanOrEqual(11);
      expect(infos.length).toBe(2);
      // ... each riding a PING: one write to the instance instead of two or three.
      for (const t of [...hellos, ...infos]) expect(pings.has(t)).toBe(true);
    }
  });

  it("sends them on their own cadences under the sentinel profile (Sentinel's exact behaviour)", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 5000, timing: "sentinel" });
    c.run(5000, TICK);
    const from = c.now;
    c.run(20000, TICK);
    const pings = new Set(at(c.commandsOf(0, "ping"), 6379, from));
    const hellos = at(c.commandsOf(0, "publish-hello"), 6379, from);
    expect(hellos.some((t) => !pings.has(t))).toBe(true);
  });

  it("never pings less often than down-after", () => {
    expect(pingInterval(FAST_TIMING, 50)).toBe(50);
    expect(pingInterval(FAST_TIMING, 100)).toBe(100);
  });

  it("keeps Sentinel's min(down-after, ping-period) in the sentinel profile", () => {
    for (const [downAfterMs, period] of [
      [30000, 1000],
      [1000, 1000],
      [400, 400],
    ] as const) {
      expect(pingInterval(SENTINEL_TIMING, downAfterMs)).toBe(period);
    }
  });

  it("uses an explicitly set PING-PERIOD (SENTINEL DEBUG) as Sentinel would: min(down-after, it)", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 30000 });
    c.run(3000, TICK);
    expect(c.engine().timing.adaptivePing).toBe(true);
    c.engine().timing.pingPeriod = 100; // the profile's own value, but set explicitly: it wins
    expect(c.engine().timing.adaptivePing).toBe(false);
    expect(pingInterval(c.engine().timing, 30000)).toBe(100);
    c.run(500, TICK);
    const from = c.now;
    c.run(3000, TICK);
    for (const g of gaps(at(c.commandsOf(0, "ping"), 6379, from))) expect(g).toBe(100 + TICK);
    c.engine().timing.pingPeriod = 300;
    expect(pingInterval(c.engine().timing, 30000)).toBe(300);
    expect(pingInterval(c.engine().timing, 200)).toBe(200);
  });

  it("detects a hung master within down-after plus one ping period", () => {
    for (const downAfterMs of [1000, 5000]) {
      const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs });
      c.run(12000, TICK);
      const t0 = c.now;
      c.node(6379).pingHangs = true;
      c.runUntil(() => c.saw(0, "+sdown"), downAfterMs * 2, TICK);
      const took = c.firstAt(0, "+sdown") - t0;
      expect(took).toBeGreaterThan(downAfterMs - pingInterval(FAST_TIMING, downAfterMs));
      expect(took).toBeLessThanOrEqual(downAfterMs + pingInterval(FAST_TIMING, downAfterMs) + 2 * TICK);
    }
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`fails over within a few hundred ms after down-after (3 sentinels, seed ${seed})`, () => {
      const downAfter = 1000;
      const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2, downAfterMs: downAfter, seed });
      c.run(12000, TICK);
      const t0 = c.now;
      c.kill(6379);
      const writable = c.runUntil(() => [6380, 6381].some((p) => c.node(p).role === "master"), 10000, TICK);
      c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 10000, TICK);
      const agreed = c.now - t0;
      expect(writable).toBeGreaterThan(0);
      expect(writable).toBeLessThanOrEqual(downAfter + 200);
      expect(agreed).toBeLessThanOrEqual(downAfter + 300);
      // One attempt, no abort.
      const tries = c.sentinels.map((_s, i) => c.eventsOf(i, "+try-failover").length).reduce((a, b) => a + b, 0);
      expect(tries).toBeLessThanOrEqual(2);
      expect(c.sentinels.flatMap((_s, i) => c.eventTypes(i)).filter((t) => t.startsWith("-failover-abort"))).toEqual([]);
    });
  }
});

describe("the fast profile's wake-ups (the daemon ticks every 100 ms)", () => {
  it("schedules no wake in the steady state", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 5000 });
    c.run(12000);
    const from = c.now;
    c.run(20000);
    for (const i of [0, 1, 2]) expect(c.commandsOf(i, "wake").filter((x) => x.at >= from)).toEqual([]);
  });

  it("declares SDOWN at down-after from the drop of a killed master's link (eager), not a tick later", () => {
    for (const downAfterMs of [1000, 1050, 5000]) {
      const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs });
      c.run(12000);
      c.run(37); // off the 100 ms tick grid
      const killedAt = c.now;
      c.kill(6379);
      c.runUntil(() => c.saw(0, "+sdown"), 2 * downAfterMs);
      expect(c.firstAt(0, "+sdown")).toBe(killedAt + downAfterMs + 1);
    }
  });

  it("steps every 20 ms while the master is in trouble, and stops once it is over", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000 });
    c.run(12000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 5000);
    const sdown = c.firstAt(0, "+sdown");
    const wakes = c.commandsOf(0, "wake").filter((x) => x.at >= sdown && x.at <= c.firstAt(0, "+switch-master"));
    expect(wakes.length).toBeGreaterThan(0);
    for (const w of wakes) expect(w.value.at - w.at).toBeLessThanOrEqual(50);
    const end = c.now;
    c.run(5000);
    // No more 20 ms steps; at most the one no-reply deadline of the old master, now a dead replica.
    expect(c.commandsOf(0, "wake").filter((x) => x.at > end + 200).length).toBeLessThanOrEqual(1);
    expect(c.eventsOf(0, "+sdown").map((e) => e.value.payload.split(" ")[0])).toEqual(["master", "slave"]);
  });
});

describe("the sentinel profile", () => {
  it("never asks for a wake outside of the failover start", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, downAfterMs: 1000, timing: "sentinel" });
    c.run(12000);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+switch-master"), 20000);
    expect(c.commandsOf(0, "wake")).toEqual([]);
  });
});
