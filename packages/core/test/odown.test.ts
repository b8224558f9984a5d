// ODOWN (§9): quorum from peers' IS-MASTER-DOWN-BY-ADDR answers, and their freshness.
import { describe, expect, it } from "vitest";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { type FakePeer, MiniCluster } from "./support/mini-cluster.js";

const MASTER = "master mymaster 127.0.0.1 6379";

/** Sentinel 0 plus `peers` scripted peers whose answers a test controls through `down`. */
function setup(quorum: number, peers: number, timing: "fast" | "sentinel" = "fast") {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum, downAfterMs: 1000, timing });
  const down = new Map<number, unknown>(); // peer index → reply (undefined = silent)
  const fakes: FakePeer[] = [];
  for (let k = 0; k < peers; k++) fakes.push(c.addFakePeer(0, k, () => down.get(k)));
  c.run(3000, 10);
  expect(summary(c.engine()).masters[0]!.sentinels).toHaveLength(peers);
  return { c, down, fakes };
}

describe("ODOWN needs SDOWN plus quorum agreement (§9.1)", () => {
  it("one agreeing peer with quorum 2: +odown with #quorum 2/2", () => {
    const { c, down } = setup(2, 1);
    down.set(0, [1, "*", 0]);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 5000, 10);
    expect(c.eventsOf(0, "+odown")[0]!.value.payload).toBe(`${MASTER} #quorum 2/2`);
    // Fast by design: the peers are asked the moment SDOWN is reached, ODOWN follows at once.
    expect(c.firstAt(0, "+odown")).toBe(c.firstAt(0, "+sdown"));
    const asks = c.commandsOf(0, "ask-master-down");
    expect(asks[0]!.at).toBe(c.firstAt(0, "+sdown"));
    expect(asks[0]!.value.args).toEqual(["127.0.0.1", "6379", "0", "*"]);
  });

  it("no peer is asked while the master is not SDOWN", () => {
    const { c } = setup(2, 2);
    c.run(5000, 10);
    expect(c.commandsOf(0, "ask-master-down")).toEqual([]);
  });

  it("below quorum: no ODOWN (quorum 3, one of two peers agrees)", () => {
    const { c, down } = setup(3, 2);
    down.set(0, [1, "*", 0]);
    down.set(1, [0, "*", 0]);
    c.node(6379).pingHangs = true;
    c.run(5000, 10);
    expect(c.saw(0, "+sdown")).toBe(true);
    expect(c.saw(0, "+odown")).toBe(false);
    down.set(1, [1, "*", 0]);
    c.runUntil(() => c.saw(0, "+odown"), 2000, 10);
    expect(c.eventsOf(0, "+odown")[0]!.value.payload).toBe(`${MASTER} #quorum 3/3`);
  });

  it("quorum 1: our own SDOWN is enough", () => {
    const { c } = setup(1, 1);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 5000, 10);
    expect(c.eventsOf(0, "+odown")[0]!.value.payload).toBe(`${MASTER} #quorum 1/1`);
  });

  it("a peer that changes its answer to 0 ends ODOWN (-odown)", () => {
    const { c, down } = setup(2, 1);
    down.set(0, [1, "*", 0]);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 5000, 10);
    down.set(0, [0, "*", 0]);
    c.runUntil(() => c.saw(0, "-odown"), 2000, 10);
    expect(c.eventsOf(0, "-odown")[0]!.value.payload).toBe(MASTER);
  });

  it("ODOWN ends with our SDOWN", () => {
    const { c, down } = setup(2, 1);
    down.set(0, [1, "*", 0]);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 5000, 10);
    c.node(6379).pingHangs = false;
    c.runUntil(() => c.saw(0, "-sdown"), 2000, 10);
    expect(c.saw(0, "-odown")).toBe(true);
    expect(summary(c.engine()).masters[0]!.odown).toBe(false);
  });

  it("malformed answers are ignored", () => {
    for (const bad of [[1, "*"], ["1", "*", 0], [1, 2, 0], "1", null, [1, "*", 0, 0]]) {
      const { c, down } = setup(2, 1);
      down.set(0, bad);
      c.node(6379).pingHangs = true;
      c.run(3000, 10);
      expect(c.saw(0, "+sdown")).toBe(true);
      expect(c.saw(0, "+odown")).toBe(false);
    }
  });
});

describe("freshness: a peer's answer expires after 5 × ask-period (§9.2)", () => {
  for (const [timing, askPeriod] of [
    ["fast", 100],
    ["sentinel", 1000],
  ] as const) {
    it(`${timing} profile: a silent peer's 'down' stops counting ${5 * askPeriod} ms after its last answer`, () => {
      const { c, down } = setup(2, 1, timing);
      down.set(0, [1, "*", 0]);
      c.node(6379).pingHangs = true;
      c.runUntil(() => c.saw(0, "+odown"), 10000, 10);
      // Let it answer a few more rounds, then go silent.
      c.run(3 * askPeriod, 10);
      down.delete(0);
      const lastAnswer = masterRecordOf(c.engine(), "mymaster")!.sentinels.values().next().value!.lastMasterDownReplyTime;
      expect(summary(c.engine()).masters[0]!.sentinels[0]!.masterDown).toBe(true);
      c.runUntil(() => c.saw(0, "-odown"), 10 * askPeriod, 10);
      const expiredAfter = c.firstAt(0, "-odown") - lastAnswer;
      expect(expiredAfter).toBeGreaterThan(5 * askPeriod);
      expect(expiredAfter).toBeLessThanOrEqual(5 * askPeriod + 20);
      const peer = summary(c.engine()).masters[0]!.sentinels[0]!;
      expect(peer.masterDown).toBe(false);
      expect(peer.leader).toBeNull();
      // Still SDOWN from our own point of view.
      expect(summary(c.engine()).masters[0]!.sdown).toBe(true);
    });
  }

  it("asks each peer at most once per ask-period while it keeps answering (sentinel profile)", () => {
    const { c, down } = setup(3, 2, "sentinel");
    down.set(0, [0, "*", 0]);
    down.set(1, [0, "*", 0]);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 5000, 10);
    const from = c.now;
    c.run(10000, 10);
    const asks = c.commandsOf(0, "ask-master-down").filter((a) => a.at >= from && a.value.addr.port === 27000);
    // [from, from + 10000] inclusive: 10 or 11 rounds, never more than one per second.
    expect(asks.length).toBeGreaterThanOrEqual(10);
    expect(asks.length).toBeLessThanOrEqual(11);
    for (let k = 1; k < asks.length; k++) expect(asks[k]!.at - asks[k - 1]!.at).toBeGreaterThanOrEqual(1000);
  });
});
