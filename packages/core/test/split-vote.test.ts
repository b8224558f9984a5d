// Split votes: an epoch that provably cannot elect anyone is retried after a short randomised
// back-off instead of 2 × failover-timeout, with one vote per epoch intact.
import { describe, expect, it } from "vitest";
import { candidateRank, createPrng, epochCannotElect, FAST_TIMING, SENTINEL_TIMING, splitVoteBackoff, staggerSlot, type Tally } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

const tally = (...votes: [string, number][]): Tally => new Map(votes);

describe("epochCannotElect", () => {
  it("is true only when every possible outcome stays below max(quorum, majority)", () => {
    expect(epochCannotElect(tally(["a", 1], ["b", 1], ["c", 1]), 3, 2)).toBe(true); // 1-1-1 of 3
    expect(epochCannotElect(tally(["a", 1], ["b", 1]), 3, 2)).toBe(false); // the third vote may decide
    expect(epochCannotElect(tally(["a", 2], ["b", 1]), 3, 2)).toBe(false); // a won
    expect(epochCannotElect(tally(["a", 2], ["b", 2], ["c", 1]), 5, 3)).toBe(true); // 2-2-1 of 5
    expect(epochCannotElect(tally(["a", 2], ["b", 2]), 5, 3)).toBe(false); // one vote unknown: 3 possible
    expect(epochCannotElect(tally(["a", 2], ["b", 1]), 3, 3)).toBe(true); // quorum 3 needs unanimity
    expect(epochCannotElect(tally(), 3, 2)).toBe(false);
  });
});

describe("splitVoteBackoff", () => {
  it("is one ask period plus up to four desync periods, from the seeded PRNG", () => {
    const p = createPrng(7);
    const fast = Array.from({ length: 200 }, () => splitVoteBackoff(p, FAST_TIMING));
    expect(Math.min(...fast)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...fast)).toBeLessThanOrEqual(500);
    expect(new Set(fast).size).toBeGreaterThan(50);
    const slow = splitVoteBackoff(createPrng(7), SENTINEL_TIMING);
    expect(slow).toBeGreaterThanOrEqual(1000);
    expect(slow).toBeLessThanOrEqual(5000);
  });
});

describe("campaign stagger", () => {
  const peer = (askRttMs: number, down = false) => ({ askRttMs, health: { value: down ? "sdown" : "up" } }) as Parameters<typeof staggerSlot>[0] extends Iterable<infer P> ? P : never;
  it("slots ranks twice the slowest ask round trip to a healthy peer, within 100..1000 ms", () => {
    expect(staggerSlot([])).toBe(100);
    expect(staggerSlot([peer(10), peer(30)])).toBe(100);
    expect(staggerSlot([peer(80), peer(120)])).toBe(240);
    expect(staggerSlot([peer(80), peer(900, true)])).toBe(160); // a down peer's old figure does not count
    expect(staggerSlot([peer(5000)])).toBe(1000);
  });
  it("ranks the split's candidates by run id, and the retry waits rank slots longer", () => {
    const t = tally(["b", 1], ["a", 1], ["c", 1]);
    expect([candidateRank(t, "a"), candidateRank(t, "b"), candidateRank(t, "c")]).toEqual([0, 1, 2]);
    const first = splitVoteBackoff(createPrng(3), FAST_TIMING, 0, 240);
    const third = splitVoteBackoff(createPrng(3), FAST_TIMING, 2, 240);
    expect(third - first).toBe(480);
  });
});

describe("a three-way split after a crash seen by every sentinel at once", () => {
  // No start jitter: the three sentinels detect the crash in the same instant and campaign together.
  const timing = { ...FAST_TIMING, startJitter: 0 };

  it("retries within a second instead of 2 × failover-timeout, one leader per epoch", () => {
    let splits = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 30_000, failoverTimeoutMs: 60_000, timing, seed, masterSettings: { crashDownAfterMs: 200 } });
      c.run(5000, 10);
      const t0 = c.now;
      c.kill(6379);
      const took = c.runUntil(() => c.masterAddrs().every((a) => a === "127.0.0.1:6380"), 20_000, 10);
      expect(took, `seed ${seed}`).toBeGreaterThan(0);
      expect(took, `seed ${seed}`).toBeLessThan(3000);
      // One leader per epoch, and each sentinel voted at most once per epoch.
      const leaders = new Map<string, Set<string>>();
      for (let i = 0; i < 3; i++) {
        const votes = c.eventsOf(i, "+vote-for-leader").filter((e) => e.at >= t0).map((e) => e.value.payload.split(" ")[1]!);
        expect(new Set(votes).size, `seed ${seed} sentinel ${i}`).toBe(votes.length);
        for (const e of c.eventsOf(i, "+elected-leader")) {
          const epoch = String(c.eventsOf(i, "+new-epoch").filter((x) => x.at <= e.at).at(-1)?.value.payload);
          if (!leaders.has(epoch)) leaders.set(epoch, new Set());
          leaders.get(epoch)!.add(String(i));
        }
        splits += c.eventsOf(i, "-failover-abort-not-elected").length;
      }
      for (const [epoch, who] of leaders) expect(who.size, `seed ${seed} epoch ${epoch}`).toBe(1);
    }
    expect(splits).toBeGreaterThan(0); // the scenario does force split votes
  });
});
