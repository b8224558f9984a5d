// SDOWN (§8) and master reboot detection (§15), driving a real engine through the mini cluster.
import { describe, expect, it } from "vitest";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

const MASTER = "master mymaster 127.0.0.1 6379";

/** One sentinel, quorum 2: SDOWN can never become ODOWN, so nothing else interferes. */
function lone(opts: Partial<ConstructorParameters<typeof MiniCluster>[0]> = {}): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, ...opts });
  c.run(3000, 10);
  expect(c.saw(0, "+slave")).toBe(true);
  return c;
}

/** Time of the first PING to `port` sent at or after `since` that never got an answer. */
function firstUnansweredPing(c: MiniCluster, port: number, since: number): number {
  return c.commandsOf(0, "ping").find((p) => p.value.addr.port === port && p.at >= since)!.at;
}

describe("SDOWN rule 1: no acceptable PING reply for down-after-milliseconds", () => {
  it("a master whose PING hangs is SDOWN just after down-after from the oldest unanswered PING", () => {
    const c = lone();
    const t0 = c.now;
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 5000, 10);
    const pinged = firstUnansweredPing(c, 6379, t0);
    const down = c.eventsOf(0, "+sdown")[0]!;
    expect(down.value.payload).toBe(MASTER);
    expect(down.at - pinged).toBeGreaterThan(1000);
    expect(down.at - pinged).toBeLessThanOrEqual(1010);
    expect(summary(c.engine()).masters[0]!.sdown).toBe(true);
  });

  it("recovers with -sdown on the first PONG", () => {
    const c = lone();
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 5000, 10);
    c.node(6379).pingHangs = false;
    c.runUntil(() => c.saw(0, "-sdown"), 2000, 10);
    expect(c.eventsOf(0, "-sdown")[0]!.value.payload).toBe(MASTER);
    expect(summary(c.engine()).masters[0]!.sdown).toBe(false);
  });

  it("an error reply other than LOADING/MASTERDOWN counts as no reply", () => {
    const c = lone();
    c.node(6379).reply = "NOAUTH Authentication required.";
    c.run(1500, 10);
    expect(c.saw(0, "+sdown")).toBe(true);
  });

  it("-LOADING and -MASTERDOWN replies are acceptable", () => {
    for (const reply of ["LOADING Redis is loading the dataset in memory", "MASTERDOWN Link with MASTER is down"]) {
      const c = lone();
      c.node(6379).reply = reply;
      c.run(5000, 10);
      expect(c.saw(0, "+sdown")).toBe(false);
    }
  });

  it("a killed master (link down, reconnects refused) goes SDOWN after down-after", () => {
    const c = lone();
    const t0 = c.now;
    c.kill(6379);
    c.runUntil(() => c.saw(0, "+sdown"), 5000, 10);
    // Counted from the first reconnection attempt (Sentinel's "PING ASAP when reconnecting"), which
    // follows the link drop within a tick: never before down-after has passed since the kill.
    expect(c.firstAt(0, "+sdown") - t0).toBeGreaterThan(1000);
    expect(c.firstAt(0, "+sdown") - t0).toBeLessThanOrEqual(1110);
  });

  it("replicas and peer sentinels go SDOWN too, with their own %@", () => {
    const c = new MiniCluster({ sentinels: 2, master: 6379, replicas: [6380], quorum: 3, downAfterMs: 1000 });
    c.run(3000, 10);
    c.node(6380).pingHangs = true;
    c.sentinels[1]!.alive = false;
    c.run(2000, 10);
    const payloads = c.eventsOf(0, "+sdown").map((e) => e.value.payload);
    expect(payloads).toContain("slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379");
    expect(payloads).toContain(`sentinel ${c.engine(1).myId} 127.0.0.1 26380 @ mymaster 127.0.0.1 6379`);
    expect(payloads).not.toContain(MASTER);
  });

  it("is not evaluated before down-after even with PINGs outstanding", () => {
    const c = lone({ downAfterMs: 5000 });
    c.node(6379).pingHangs = true;
    c.run(4900, 10);
    expect(c.saw(0, "+sdown")).toBe(false);
    c.run(300, 10);
    expect(c.saw(0, "+sdown")).toBe(true);
  });
});

describe("SDOWN rule 2: a master that reports role:slave", () => {
  it("is SDOWN once the report is older than down-after + 2 × info-period, while it still answers PING", () => {
    const c = lone();
    const m = c.node(6379);
    m.role = "slave";
    m.master = { host: "127.0.0.1", port: 7777 };
    c.runUntil(() => c.saw(0, "-role-change"), 15000, 10);
    const reported = c.eventsOf(0, "-role-change")[0]!;
    expect(reported.value.payload).toBe(`${MASTER} new reported role is slave`);
    c.runUntil(() => c.saw(0, "+sdown"), 30000, 10);
    const grace = 1000 + 2 * 10000; // down-after + 2 × info-period
    const delay = c.firstAt(0, "+sdown") - reported.at;
    expect(delay).toBeGreaterThan(grace);
    expect(delay).toBeLessThanOrEqual(grace + 10);
    // PING was fine all along: this is rule 2, not rule 1.
    expect(masterRecordOf(c.engine(), "mymaster")!.link.lastAvailTime).toBeGreaterThan(c.now - 200);
    expect(masterRecordOf(c.engine(), "mymaster")!.health.context.cause).toBe("master-reports-replica");
  });

  it("clears when the master reports role:master again", () => {
    const c = lone();
    const m = c.node(6379);
    m.role = "slave";
    m.master = { host: "127.0.0.1", port: 7777 };
    c.runUntil(() => c.saw(0, "+sdown"), 40000, 100);
    m.role = "master";
    m.master = null;
    c.runUntil(() => c.saw(0, "-sdown"), 15000, 100);
    expect(c.saw(0, "+role-change")).toBe(true);
    expect(c.saw(0, "-sdown")).toBe(true);
  });

  it("does not apply to a replica entry reporting role:slave", () => {
    const c = lone();
    c.run(40000, 100);
    expect(c.eventsOf(0, "+sdown")).toEqual([]);
  });
});

describe("SDOWN rule 3 and §15: master reboot detection", () => {
  /** The master restarts with a new run_id and answers -LOADING while it loads its dataset. */
  function reboot(c: MiniCluster): number {
    const m = c.node(6379);
    m.runId = "f".repeat(40);
    m.reply = "LOADING Redis is loading the dataset in memory";
    c.runUntil(() => c.saw(0, "+reboot"), 15000, 10);
    return c.firstAt(0, "+reboot");
  }

  it("run_id change + master-reboot-down-after-period: +reboot, master_reboot, SDOWN after the period", () => {
    const c = lone({ masterSettings: { masterRebootDownAfterMs: 5000 } });
    const at = reboot(c);
    expect(c.eventsOf(0, "+reboot")[0]!.value.payload).toBe(MASTER);
    expect(masterRecordOf(c.engine(), "mymaster")!.reboot).toBe(true);
    c.runUntil(() => c.saw(0, "+sdown"), 10000, 10);
    const delay = c.firstAt(0, "+sdown") - at;
    expect(delay).toBeGreaterThan(5000);
    expect(delay).toBeLessThanOrEqual(5010);
  });

  it("-LOADING keeps the flag (the master stays SDOWN), PONG clears it (-sdown)", () => {
    const c = lone({ masterSettings: { masterRebootDownAfterMs: 2000 } });
    reboot(c);
    c.run(8000, 10);
    expect(masterRecordOf(c.engine(), "mymaster")!.reboot).toBe(true);
    expect(summary(c.engine()).masters[0]!.sdown).toBe(true);
    expect(c.saw(0, "-sdown")).toBe(false);
    c.node(6379).reply = "PONG";
    c.runUntil(() => c.saw(0, "-sdown"), 2000, 10);
    expect(masterRecordOf(c.engine(), "mymaster")!.reboot).toBe(false);
    expect(summary(c.engine()).masters[0]!.sdown).toBe(false);
  });

  it("with the period 0 (default) a reboot only emits +reboot", () => {
    const c = lone();
    reboot(c);
    c.run(20000, 100);
    expect(masterRecordOf(c.engine(), "mymaster")!.reboot).toBe(false);
    expect(c.saw(0, "+sdown")).toBe(false);
  });

  it("+reboot fires for replicas too, but only masters get the flag", () => {
    const c = lone({ masterSettings: { masterRebootDownAfterMs: 1000 } });
    c.node(6380).runId = "e".repeat(40);
    c.runUntil(() => c.saw(0, "+reboot"), 15000, 100);
    expect(c.eventsOf(0, "+reboot")[0]!.value.payload).toBe("slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379");
    c.run(5000, 100);
    expect(c.saw(0, "+sdown")).toBe(false);
  });
});

describe("SCRIPT KILL (§5.1): once per SDOWN episode for a -BUSY instance", () => {
  it("sends SCRIPT KILL once while SDOWN, again only after a -sdown", () => {
    const c = lone();
    const busy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.";
    c.node(6379).reply = busy;
    c.run(900, 10);
    expect(c.commandsOf(0, "script-kill")).toEqual([]); // not SDOWN yet
    c.runUntil(() => c.saw(0, "+sdown"), 1000, 10);
    c.run(2000, 10);
    const kills = c.commandsOf(0, "script-kill");
    expect(kills.map((k) => k.value.addr.port)).toEqual([6379]);
    const m = masterRecordOf(c.engine(), "mymaster")!;
    expect(m.scriptKillSent).toBe(true);
    c.node(6379).reply = "PONG";
    c.runUntil(() => c.saw(0, "-sdown"), 1000, 10);
    expect(m.scriptKillSent).toBe(false);
    c.node(6379).reply = busy;
    c.runUntil(() => c.eventsOf(0, "+sdown").length === 2, 3000, 10);
    c.run(1000, 10);
    expect(c.commandsOf(0, "script-kill")).toHaveLength(2);
  });
});
