// Epochs and voting (§10.1–10.2) through SentinelEngine.isMasterDownByAddr, plus property tests.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { castVote } from "../src/election/vote.js";
import { createPrng, createSentinelEngine, type EngineOutput, type SentinelEngine } from "../src/index.js";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { hexId, MiniCluster } from "./support/mini-cluster.js";

const NOW = 1_000_000;
const R = "r".repeat(40);
const Q = "q".repeat(40);
const P = "p".repeat(40);

function engine(over: { currentEpoch?: number; leaderEpoch?: number; voteTwice?: boolean } = {}): SentinelEngine {
  return createSentinelEngine({
    myId: hexId(1),
    now: NOW,
    prng: createPrng(7),
    currentEpoch: over.currentEpoch,
    masters: [{ settings: { name: "mymaster", host: "127.0.0.1", port: 6379, quorum: 2 }, leaderEpoch: over.leaderEpoch }],
    faults: over.voteTwice ? { voteTwicePerEpoch: true } : undefined,
  });
}
const ask = (e: SentinelEngine, epoch: number, runId: string, now = NOW) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, epoch, runId);
const types = (o: EngineOutput) => o.events.map((e) => `${e.type} ${e.payload}`);

describe("casting a vote (§10.2)", () => {
  it("first requester in an epoch gets the vote: +new-epoch, +vote-for-leader, reply [down, runid, epoch]", () => {
    const e = engine();
    const { reply, output } = ask(e, 5, R);
    expect(reply).toEqual([0, R, 5]);
    expect(types(output)).toEqual(["+new-epoch 5", `+vote-for-leader ${R} 5`]);
    expect(e.currentEpoch()).toBe(5);
    expect(summary(e).masters[0]!.leader).toBe(R);
    expect(summary(e).masters[0]!.leaderEpoch).toBe(5);
  });

  it("the vote is persisted before it is answered: a persist command comes first in the output", () => {
    const e = engine();
    const { output } = ask(e, 5, R);
    expect(output.commands[0]!.kind).toBe("persist");
    expect(output.commands[0]).not.toHaveProperty("deferrable");
    const persisted = output.commands[0]!.kind === "persist" ? output.commands[0]!.state : null;
    expect(persisted!.currentEpoch).toBe(5);
    expect(persisted!.masters[0]!.leaderEpoch).toBe(5);
  });

  it("a second requester in the same epoch gets the first vote back, with no new vote and nothing to persist", () => {
    const e = engine();
    ask(e, 5, R);
    const { reply, output } = ask(e, 5, Q, NOW + 10);
    expect(reply).toEqual([0, R, 5]);
    expect(output.events).toEqual([]);
    expect(output.commands.filter((c) => c.kind === "persist")).toEqual([]);
  });

  it("a stale-epoch request gets the existing vote back and does not lower anything", () => {
    const e = engine();
    ask(e, 5, R);
    const { reply, output } = ask(e, 4, P, NOW + 10);
    expect(reply).toEqual([0, R, 5]);
    expect(output.events).toEqual([]);
    expect(e.currentEpoch()).toBe(5);
  });

  it("a higher epoch gets a new vote", () => {
    const e = engine();
    ask(e, 5, R);
    const { reply, output } = ask(e, 6, Q, NOW + 10);
    expect(reply).toEqual([0, Q, 6]);
    expect(types(output)).toEqual(["+new-epoch 6", `+vote-for-leader ${Q} 6`]);
  });

  it("a request for an epoch older than our current one raises nothing and gets no vote", () => {
    const e = engine({ currentEpoch: 9 });
    const { reply, output } = ask(e, 5, R);
    expect(reply).toEqual([0, "*", 0]);
    expect(output.events).toEqual([]);
  });

  it("a request at our current epoch (not raised) is voted without +new-epoch", () => {
    const e = engine({ currentEpoch: 5 });
    const { reply, output } = ask(e, 5, R);
    expect(reply).toEqual([0, R, 5]);
    expect(types(output)).toEqual([`+vote-for-leader ${R} 5`]);
    expect(output.commands[0]!.kind).toBe("persist");
  });

  it("a plain probe ('*') neither votes nor raises the epoch", () => {
    const e = engine();
    const { reply, output } = ask(e, 8, "*");
    expect(reply).toEqual([0, "*", 0]);
    expect(output).toEqual({ commands: [], events: [] });
    expect(e.currentEpoch()).toBe(0);
  });

  it("an unknown master address answers [0, '*', 0]", () => {
    const e = engine();
    const { reply, output } = e.isMasterDownByAddr(NOW, "127.0.0.1", 7000, 3, R);
    expect(reply).toEqual([0, "*", 0]);
    expect(output.events).toEqual([]);
  });

  it("a vote persisted before a restart still counts: the restarted engine does not vote again in that epoch", () => {
    const before = engine();
    const persisted = ask(before, 5, R).output.commands[0];
    if (persisted?.kind !== "persist") throw new Error("no persist");
    const pm = persisted.state.masters[0]!;
    const after = createSentinelEngine({
      myId: hexId(1),
      now: NOW + 1000,
      prng: createPrng(7),
      currentEpoch: persisted.state.currentEpoch,
      masters: [{ settings: pm.settings, configEpoch: pm.configEpoch, leaderEpoch: pm.leaderEpoch }],
    });
    const { reply, output } = ask(after, 5, Q, NOW + 1000);
    expect(reply[1]).not.toBe(Q);
    expect(output.events.filter((x) => x.type === "+vote-for-leader")).toEqual([]);
  });

  it("down_state is 1 when we see the master SDOWN (not ODOWN), votes or not", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 5, downAfterMs: 1000 });
    c.run(2000);
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+sdown"), 3000);
    expect(summary(c.engine()).masters[0]!.odown).toBe(false);
    expect(c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 0, "*")).reply).toEqual([1, "*", 0]);
    expect(c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 3, R)).reply).toEqual([1, R, 3]);
  });

  it("voting for another sentinel blocks our own failover for 2 × failover-timeout (§10.2)", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10000 });
    c.addFakePeer(0, 0, (args) => [1, args[3] === "*" ? "*" : args[3], Number(args[2])]);
    c.run(2000);
    const votedAt = c.now;
    c.call(0, (e, now) => e.isMasterDownByAddr(now, "127.0.0.1", 6379, 1, R));
    const startTime = masterRecordOf(c.engine(), "mymaster")!.failover.context.startTime;
    expect(startTime).toBeGreaterThanOrEqual(votedAt);
    expect(startTime).toBeLessThan(votedAt + 100); // fast profile: desync < 100 ms
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+odown"), 3000, 10);
    c.runUntil(() => c.saw(0, "+try-failover"), 30000, 10);
    expect(c.firstAt(0, "+try-failover")).toBeGreaterThanOrEqual(startTime + 20000);
    expect(c.firstAt(0, "+try-failover")).toBeLessThanOrEqual(startTime + 20000 + 50 + 20); // start jitter ≤ 50 ms
  });
});

describe("properties", () => {
  const request = fc.record({
    epoch: fc.integer({ min: 0, max: 6 }),
    runId: fc.constantFrom(R, Q, P, "*", hexId(1)),
    dt: fc.integer({ min: 0, max: 50 }),
  });

  /** Runs a request sequence against one engine; returns the problems found. */
  function voteProblems(reqs: readonly { epoch: number; runId: string; dt: number }[], voteTwice: boolean): string[] {
    const e = engine({ voteTwice });
    const granted = new Map<number, string>();
    const problems: string[] = [];
    let now = NOW;
    let lastEpoch = 0;
    let lastLeaderEpoch = 0;
    for (const r of reqs) {
      now += r.dt;
      const { reply, output } = ask(e, r.epoch, r.runId, now);
      const [, leader, leaderEpoch] = reply;
      if (leader !== "*") {
        const prev = granted.get(leaderEpoch);
        if (prev !== undefined && prev !== leader) problems.push(`two votes in epoch ${leaderEpoch}: ${prev} and ${leader}`);
        granted.set(leaderEpoch, leader);
        if (leaderEpoch < lastLeaderEpoch) problems.push("leader epoch went backwards");
        lastLeaderEpoch = leaderEpoch;
      }
      if (e.currentEpoch() < lastEpoch) problems.push("current epoch went backwards");
      lastEpoch = e.currentEpoch();
      const voted = output.events.some((x) => x.type === "+vote-for-leader");
      if (voted && output.commands[0]?.kind !== "persist") problems.push("vote answered before it was persisted");
    }
    return problems;
  }

  it("random interleavings of vote requests never produce two different votes for one epoch", () => {
    fc.assert(fc.property(fc.array(request, { maxLength: 60 }), (reqs) => voteProblems(reqs, false).length === 0), { numRuns: 300 });
  });

  it("the same property catches an engine that may vote twice per epoch", () => {
    const result = fc.check(fc.property(fc.array(request, { maxLength: 60 }), (reqs) => voteProblems(reqs, true).length === 0), { numRuns: 300 });
    expect(result.failed).toBe(true);
  });

  it("castVote: one vote per epoch, epochs never decrease, the vote is in the current epoch", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.constantFrom("a", "b", "c")), { maxLength: 40 }), (reqs) => {
        let s = { currentEpoch: 0, leader: null as string | null, leaderEpoch: 0 };
        const votes = new Map<number, string>();
        for (const [epoch, who] of reqs) {
          const out = castVote(s, epoch, who);
          if (out.state.currentEpoch < s.currentEpoch || out.state.leaderEpoch < s.leaderEpoch) return false;
          if (out.epochRaised !== epoch > s.currentEpoch) return false;
          if (out.voted) {
            if (votes.has(out.state.leaderEpoch)) return false;
            if (out.state.leaderEpoch !== out.state.currentEpoch || out.state.leader !== who) return false;
            votes.set(out.state.leaderEpoch, who);
          } else if (out.state.leader !== s.leader || out.state.leaderEpoch !== s.leaderEpoch) return false;
          s = { ...out.state };
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
