// Leader election (§10.3): the leader needs max(quorum, majority of all known sentinels) votes.
import { describe, expect, it } from "vitest";
import { electedLeader, leadingCandidate, tallyVotes } from "../src/election/leader-tally.js";
import { masterRecordOf, summary } from "./support/engine-records.js";
import { MiniCluster } from "./support/mini-cluster.js";

describe("tally (pure)", () => {
  it("counts only votes cast in the given epoch", () => {
    const t = tallyVotes(
      [
        { leader: "a", leaderEpoch: 3 },
        { leader: "a", leaderEpoch: 2 },
        { leader: "b", leaderEpoch: 3 },
        { leader: null, leaderEpoch: 3 },
        { leader: "a", leaderEpoch: 3 },
      ],
      3,
    );
    expect([...t.entries()]).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it("leading candidate: most votes, ties broken by the smaller runid (deterministic)", () => {
    expect(leadingCandidate(new Map())).toBeNull();
    expect(leadingCandidate(new Map([["b", 2], ["a", 1]]))).toBe("b");
    expect(leadingCandidate(new Map([["b", 2], ["a", 2]]))).toBe("a");
    expect(leadingCandidate(new Map([["a", 2], ["b", 2]]))).toBe("a");
  });

  it("elected only with max(quorum, voters/2 + 1) votes", () => {
    expect(electedLeader(new Map([["a", 2]]), 5, 2)).toBeNull(); // majority of 5 is 3
    expect(electedLeader(new Map([["a", 3]]), 5, 2)).toBe("a");
    expect(electedLeader(new Map([["a", 3]]), 5, 4)).toBeNull(); // quorum 4 is stricter
    expect(electedLeader(new Map([["a", 4]]), 5, 4)).toBe("a");
    expect(electedLeader(new Map([["a", 1]]), 1, 1)).toBe("a");
  });
});

/**
 * Sentinel 0 with four scripted peers (5 voters). Every peer says the master is down; the first
 * `forUs` peers vote for whoever asks, in the asked epoch (or `voteEpochLag` epochs earlier); the rest
 * answer "no vote" (`*`).
 */
function election(quorum: number, forUs: number, voteEpochLag = 0) {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum, downAfterMs: 1000, failoverTimeoutMs: 60000 });
  for (let k = 0; k < 4; k++) {
    c.addFakePeer(0, k, (args) => {
      const epoch = Number(args[2]);
      if (args[3] === "*" || k >= forUs) return [1, "*", 0];
      return [1, args[3], epoch - voteEpochLag];
    });
  }
  c.run(2000);
  c.node(6379).pingHangs = true;
  c.runUntil(() => c.saw(0, "+try-failover"), 5000, 10);
  c.runUntil(() => c.saw(0, "+elected-leader") || c.saw(0, "-failover-abort-not-elected"), 15000, 10);
  return c;
}

describe("leader election through the engine (5 voters)", () => {
  it("quorum 2: self + 1 vote (2) is below the majority (3): not elected, aborts after the election timeout", () => {
    const c = election(2, 1);
    expect(c.saw(0, "+elected-leader")).toBe(false);
    expect(c.saw(0, "-failover-abort-not-elected")).toBe(true);
    const waited = c.firstAt(0, "-failover-abort-not-elected") - masterRecordOf(c.engine(), "mymaster")!.failover.context.startTime;
    expect(waited).toBeGreaterThan(10000); // min(election-timeout 10 s, failover-timeout 60 s)
    expect(waited).toBeLessThanOrEqual(10020);
  });

  it("quorum 2: self + 2 votes (3) reach the majority: elected as soon as the votes arrive", () => {
    const c = election(2, 2);
    expect(c.saw(0, "+elected-leader")).toBe(true);
    const asked = c.commandsOf(0, "ask-master-down").find((a) => a.value.args[3] !== "*")!;
    expect(c.firstAt(0, "+elected-leader")).toBe(asked.at);
  });

  it("quorum 4: self + 2 votes (3) is a majority but below quorum: not elected", () => {
    const c = election(4, 2);
    expect(c.saw(0, "+odown")).toBe(true);
    expect(c.saw(0, "+elected-leader")).toBe(false);
    expect(c.saw(0, "-failover-abort-not-elected")).toBe(true);
  });

  it("quorum 4: self + 3 votes (4) is enough", () => {
    const c = election(4, 3);
    expect(c.saw(0, "+elected-leader")).toBe(true);
  });

  it("votes reported for an older epoch do not count", () => {
    const c = election(2, 4, 1);
    expect(c.saw(0, "+elected-leader")).toBe(false);
  });

  it("the self-vote is cast in the failover epoch and announced", () => {
    const c = election(2, 2);
    const epoch = summary(c.engine()).masters[0]!.failoverEpoch;
    expect(epoch).toBe(1);
    const self = c.eventsOf(0, "+vote-for-leader").map((e) => e.value.payload);
    expect(self).toContain(`${c.engine().myId} 1`);
    const req = c.commandsOf(0, "ask-master-down").find((a) => a.value.args[3] !== "*")!;
    expect(req.value.args).toEqual(["127.0.0.1", "6379", "1", c.engine().myId]);
  });

  it("all known sentinels count as voters, reachable or not", () => {
    // Two of the four peers are unreachable; two vote for us: 3 of 5 is still a majority.
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 60000 });
    const peers = [0, 1, 2, 3].map((k) => c.addFakePeer(0, k, (args) => (args[3] === "*" ? [1, "*", 0] : [1, args[3], Number(args[2])])));
    c.run(2000);
    peers[2]!.alive = false;
    peers[3]!.alive = false;
    c.node(6379).pingHangs = true;
    c.runUntil(() => c.saw(0, "+elected-leader"), 15000, 10);
    expect(c.saw(0, "+elected-leader")).toBe(true);
    // With three unreachable only self + 1 = 2 < 3: no leader.
    const d = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 60000 });
    const dp = [0, 1, 2, 3].map((k) => d.addFakePeer(0, k, (args) => (args[3] === "*" ? [1, "*", 0] : [1, args[3], Number(args[2])])));
    d.run(2000);
    for (const p of dp.slice(1)) p.alive = false;
    d.node(6379).pingHangs = true;
    d.run(15000, 10);
    expect(d.saw(0, "+try-failover")).toBe(true);
    expect(d.saw(0, "+elected-leader")).toBe(false);
  });
});
