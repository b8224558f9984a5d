// Crash detection (vigil-crash-down-after): the pure rule, and a real engine in the mini cluster.
import { describe, expect, it } from "vitest";
import {
  crashRuleHolds,
  endRefusalRun,
  explainMaster,
  nextReconnectAt,
  noteLinkFailure,
  type RefusalRun,
  reconnectPeriod,
  refusedForMs,
  sdownCause,
  sectionLines,
} from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

const run = (): RefusalRun => ({ refusedSince: 0, lastRefused: 0 });

describe("the refusal run", () => {
  it("is proven from the first active failure to the latest refusal", () => {
    const r = run();
    noteLinkFailure(r, "closed", 1000);
    expect(refusedForMs(r)).toBe(0); // a close alone proves nothing
    noteLinkFailure(r, "refused", 1040);
    noteLinkFailure(r, "refused", 1300);
    expect(refusedForMs(r)).toBe(300);
    noteLinkFailure(r, "reset", 1350);
    expect(refusedForMs(r)).toBe(350);
  });

  it("ends with silence or an ambiguous error, and when a connection opens", () => {
    for (const f of ["timeout", "other"] as const) {
      const r = run();
      noteLinkFailure(r, "refused", 1000);
      noteLinkFailure(r, "refused", 1500);
      noteLinkFailure(r, f, 1600);
      expect(refusedForMs(r)).toBe(0);
      noteLinkFailure(r, "refused", 1700);
      expect(refusedForMs(r)).toBe(0); // a new run starts at 1700
    }
    const r = run();
    noteLinkFailure(r, "refused", 1000);
    noteLinkFailure(r, "refused", 1500);
    endRefusalRun(r);
    expect(r).toEqual({ refusedSince: 0, lastRefused: 0 });
  });

  it("never starts from silence", () => {
    const r = run();
    noteLinkFailure(r, "timeout", 1000);
    noteLinkFailure(r, "timeout", 9000);
    expect(refusedForMs(r)).toBe(0);
  });

  it("holds the crash rule only when on and refused for at least crash-down-after", () => {
    expect(crashRuleHolds(300, 0)).toBe(false);
    expect(crashRuleHolds(299, 300)).toBe(false);
    expect(crashRuleHolds(300, 300)).toBe(true);
    expect(crashRuleHolds(0, 300)).toBe(false);
  });

  it("retries five times per crash-down-after while a run is timed, else once per ping period", () => {
    const r = run();
    expect(reconnectPeriod(r, 300, 100)).toBe(100);
    noteLinkFailure(r, "closed", 5);
    expect(reconnectPeriod(r, 300, 100)).toBe(60);
    expect(reconnectPeriod(r, 0, 100)).toBe(100);
    expect(reconnectPeriod(r, 20, 100)).toBe(10);
    expect(reconnectPeriod(r, 3000, 1000)).toBe(600);
  });

  it("tries again exactly when the window closes, not up to a period later", () => {
    const r = run();
    noteLinkFailure(r, "closed", 1000);
    noteLinkFailure(r, "refused", 1001);
    expect(nextReconnectAt(r, 1001, 300, 100)).toBe(1061); // every 60 ms ...
    noteLinkFailure(r, "refused", 1241);
    expect(nextReconnectAt(r, 1241, 300, 100)).toBe(1300); // ... but at 1000 + 300, not 1301
    expect(nextReconnectAt(r, 1295, 300, 100)).toBe(1305); // never more often than every 10 ms
    noteLinkFailure(r, "refused", 1300);
    expect(nextReconnectAt(r, 1300, 300, 100)).toBe(1360); // proven: back to the period
    expect(nextReconnectAt(run(), 1000, 300, 100)).toBe(1100); // no run: the ping period
  });
});

describe("sdownCause with the crash rule", () => {
  const base = { now: 10_000, elapsed: 0, downAfterMs: 30_000, reportsReplicaSince: null, infoPeriod: 10_000, rebootSince: null, rebootDownAfterMs: 0 };
  it("is crash once refused for crash-down-after, long before down-after", () => {
    expect(sdownCause({ ...base, elapsed: 400, refusedForMs: 300, crashDownAfterMs: 300 })).toBe("crash");
    expect(sdownCause({ ...base, elapsed: 400, refusedForMs: 299, crashDownAfterMs: 300 })).toBeNull();
    expect(sdownCause({ ...base, elapsed: 400, refusedForMs: 5000, crashDownAfterMs: 0 })).toBeNull();
  });
  it("keeps no-reply first: silence past down-after is no-reply whatever the refusals", () => {
    expect(sdownCause({ ...base, elapsed: 30_001, refusedForMs: 300, crashDownAfterMs: 300 })).toBe("no-reply");
  });
});

/** 3 sentinels, quorum 2, down-after 30 s, crash-down-after 300 ms; settled. */
function cluster(crashDownAfterMs: number): MiniCluster {
  const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2, downAfterMs: 30_000, masterSettings: { crashDownAfterMs } });
  c.run(5000, 10);
  expect(c.saw(0, "+sentinel")).toBe(true);
  return c;
}

describe("crash failover in the engine (mini cluster)", () => {
  it("a killed master (reset, then refused) is SDOWN with cause crash and failed over in well under down-after", () => {
    const c = cluster(300);
    const t0 = c.now;
    c.kill(6379);
    const took = c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 20_000, 10);
    expect(took).toBeGreaterThan(0);
    expect(took).toBeLessThan(1000);
    for (let i = 0; i < 3; i++) {
      const down = c.firstAt(i, "+sdown") - t0;
      expect(down).toBeGreaterThanOrEqual(300);
      expect(down).toBeLessThan(450);
      expect(c.eventsOf(i, "+crash-sdown")[0]!.value.payload).toMatch(/^master mymaster 127\.0\.0\.1 6379 #refused for \d+ ms$/);
    }
  });

  it("explain names the crash cause while SDOWN", () => {
    const c = cluster(300);
    // No replica to promote: the mini cluster delivers at once, so a failover would end (and SDOWN
    // with it) within the step that saw +sdown.
    c.kill(6380);
    c.kill(6381);
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+sdown") && c.engine(0).view().master("mymaster")?.health.state === "sdown", 2000, 10);
    const e = explainMaster(c.engine(0), "mymaster", c.now)!;
    expect(e.down.cause).toBe("crash");
    const lines = sectionLines(e.sections).join("\n");
    expect(lines).toContain("Cause: crash: every connection attempt actively refused");
    expect(lines).toMatch(/actively refused or reset for \d+ ms \(vigil-crash-down-after 300 ms\)/);
  });

  it("with the rule off (0), a killed master still waits for down-after", () => {
    const c = cluster(0);
    c.kill(6379);
    c.run(20_000, 10);
    expect(c.saw(0, "+sdown")).toBe(false);
  });

  it("a restart that refuses for less than crash-down-after, then answers -LOADING, is never SDOWN", () => {
    const c = cluster(300);
    c.kill(6379);
    c.run(150, 10);
    const n = c.node(6379);
    n.reply = "LOADING Redis is loading the dataset in memory";
    c.restart(6379);
    c.run(20_000, 10);
    for (let i = 0; i < 3; i++) expect(c.saw(i, "+sdown")).toBe(false);
  });

  it("silence (a host gone: PINGs hang, connects time out) waits for down-after", () => {
    const c = cluster(300);
    const t0 = c.now;
    const n = c.node(6379);
    n.pingHangs = true;
    n.connectTimesOut = true;
    c.run(25_000, 10);
    expect(c.saw(0, "+sdown")).toBe(false);
    c.runUntil(() => c.saw(0, "+sdown"), 10_000, 10);
    expect(c.firstAt(0, "+sdown") - t0).toBeGreaterThan(30_000);
    expect(c.saw(0, "+crash-sdown")).toBe(false);
  });
});
