// Fencing a stale master (Vigil extension): an instance claiming master after the master moved.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStaleFence, operatorValuesOf, staleFenceFor } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

const REPLICA = "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379";

function cluster(fenceStaleMaster?: boolean): MiniCluster {
  const masterSettings = fenceStaleMaster === undefined ? {} : { fenceStaleMaster };
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10000, masterSettings });
  c.run(12000);
  return c;
}

const fenceCommands = (c: MiniCluster) => c.commandsOf(0, "fence-stale-master");

describe("the fence's encoding", () => {
  it("round-trips the operator's values, including a zero lag, and is idempotent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 1_000_000 }), (toWrite, maxLag) => {
        const fenced = staleFenceFor({ toWrite, maxLag })!;
        expect(isStaleFence(fenced)).toBe(true);
        expect(fenced.maxLag).toBeGreaterThan(0); // Redis ignores min-replicas-to-write when the lag is 0
        expect(operatorValuesOf(fenced)).toEqual({ toWrite, maxLag });
        expect(staleFenceFor(fenced)).toBeNull();
        expect(operatorValuesOf({ toWrite, maxLag })).toBeNull();
      }),
    );
  });

  it("leaves alone values it cannot encode (they already refuse every write)", () => {
    expect(staleFenceFor({ toWrite: 100_000_000, maxLag: 10 })).toBeNull();
  });
});

describe("fencing a stale master", () => {
  it("a replica that starts claiming master is fenced after one publish period, converted after four", () => {
    const c = cluster();
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.runUntil(() => c.saw(0, "+convert-to-slave"), 30000, 10);
    const claim = c.eventsOf(0, "-role-change")[0]!.at;
    const fenced = c.eventsOf(0, "+fence-stale-master")[0]!;
    expect(fenced.value.payload).toBe(REPLICA);
    expect(fenced.at - claim).toBeGreaterThanOrEqual(2000);
    expect(fenceCommands(c)[0]!.value.addr).toEqual({ host: "127.0.0.1", port: 6380 });
    expect(c.firstAt(0, "+convert-to-slave") - claim).toBeGreaterThan(8000);
    // Once it reports role:slave, the fence is lifted.
    c.run(12000);
    expect(c.saw(0, "-fence-stale-master")).toBe(true);
    expect(c.commandsOf(0, "unfence-stale-master").some((x) => x.value.addr.port === 6380)).toBe(true);
  });

  it("a returning instance (down, back claiming master) is fenced on its first INFO, not a publish period later", () => {
    const c = cluster();
    c.kill(6380);
    c.runUntil(() => c.eventsOf(0, "+sdown").some((e) => e.value.payload.includes("6380")), 5000, 10);
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.restart(6380);
    c.runUntil(() => c.saw(0, "+fence-stale-master"), 30000, 10);
    expect(c.firstAt(0, "+fence-stale-master")).toBe(c.firstAt(0, "-role-change"));
    expect(c.saw(0, "+convert-to-slave")).toBe(false);
  });

  it("never while our master does not look sane", () => {
    const c = cluster();
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 3000, 10);
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.run(30000);
    expect(c.saw(0, "+fence-stale-master")).toBe(false);
    expect(fenceCommands(c)).toEqual([]);
  });

  it("not when switched off with vigil-fence-stale-master no", () => {
    const c = cluster(false);
    const r = c.node(6380);
    r.role = "master";
    r.master = null;
    c.runUntil(() => c.saw(0, "+convert-to-slave"), 30000, 10);
    expect(fenceCommands(c)).toEqual([]);
  });

  it("checks the current master for a leftover fence on its first INFO", () => {
    const c = cluster();
    expect(c.commandsOf(0, "unfence-stale-master").map((x) => x.value.addr.port)).toContain(6379);
  });
});
