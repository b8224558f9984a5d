import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareReplicas,
  describeExclusion,
  exclusionReason,
  infoValidityTime,
  maxMasterDownTime,
  type RankingContext,
  type RankingReplica,
  rankReplicas,
  selectReplica,
} from "../src/ranking/replica-ranking.js";

const NOW = 1_000_000;
/** Default timings (§2), master healthy, down-after 30 s. */
const CTX: RankingContext = { now: NOW, pingPeriod: 1000, infoPeriod: 10000, masterDownAfterMs: 30000, masterSdownSince: null };
/** Same, but the master has been SDOWN for 4 s. */
const SDOWN_CTX: RankingContext = { ...CTX, masterSdownSince: NOW - 4000 };

let port = 6380;
const replica = (over: Partial<RankingReplica> = {}): RankingReplica => ({
  key: `10.0.0.1:${port++}`,
  runId: "a".repeat(40),
  sdown: false,
  odown: false,
  disconnected: false,
  lastAvailTime: NOW - 100,
  slavePriority: 100,
  infoRefresh: NOW - 1000,
  masterLinkDownTimeMs: 0,
  replOffset: 1000,
  ...over,
});

describe("helpers", () => {
  it("maxMasterDownTime is 10 × down-after, plus the master's SDOWN time", () => {
    expect(maxMasterDownTime(CTX)).toBe(300_000);
    expect(maxMasterDownTime(SDOWN_CTX)).toBe(304_000);
  });

  it("infoValidityTime is 3 × info-period, or 5 × ping-period while the master is SDOWN", () => {
    expect(infoValidityTime(CTX)).toBe(30_000);
    expect(infoValidityTime(SDOWN_CTX)).toBe(5_000);
  });
});

describe("exclusion rules (§12), one per rule", () => {
  it("a healthy replica is a candidate", () => {
    expect(exclusionReason(replica(), CTX)).toBeNull();
    expect(exclusionReason(replica(), SDOWN_CTX)).toBeNull();
  });

  it("1a. SDOWN", () => {
    expect(exclusionReason(replica({ sdown: true }), CTX)).toBe("sdown");
  });

  it("1b. ODOWN", () => {
    expect(exclusionReason(replica({ odown: true }), CTX)).toBe("odown");
  });

  it("2. disconnected link", () => {
    expect(exclusionReason(replica({ disconnected: true }), CTX)).toBe("disconnected");
  });

  it("3. no acceptable PING reply for more than 5 × ping-period", () => {
    expect(exclusionReason(replica({ lastAvailTime: NOW - 5000 }), CTX)).toBeNull();
    expect(exclusionReason(replica({ lastAvailTime: NOW - 5001 }), CTX)).toBe("no-recent-ping-reply");
  });

  it("4. priority 0", () => {
    expect(exclusionReason(replica({ slavePriority: 0 }), CTX)).toBe("priority-zero");
    expect(exclusionReason(replica({ slavePriority: 1 }), CTX)).toBeNull();
  });

  it("5. INFO older than 3 × info-period (master not SDOWN)", () => {
    expect(exclusionReason(replica({ infoRefresh: NOW - 30000 }), CTX)).toBeNull();
    expect(exclusionReason(replica({ infoRefresh: NOW - 30001 }), CTX)).toBe("info-too-old");
  });

  it("5. INFO older than 5 × ping-period (master SDOWN)", () => {
    expect(exclusionReason(replica({ infoRefresh: NOW - 5000 }), SDOWN_CTX)).toBeNull();
    expect(exclusionReason(replica({ infoRefresh: NOW - 5001 }), SDOWN_CTX)).toBe("info-too-old");
  });

  it("5. never INFO'd is always too old, even when the clock is small", () => {
    const early: RankingContext = { ...CTX, now: 10 };
    expect(exclusionReason(replica({ infoRefresh: 0, lastAvailTime: 10 }), early)).toBe("info-too-old");
  });

  it("6. master link down longer than max_master_down_time", () => {
    expect(exclusionReason(replica({ masterLinkDownTimeMs: 300_000 }), CTX)).toBeNull();
    expect(exclusionReason(replica({ masterLinkDownTimeMs: 300_001 }), CTX)).toBe("master-link-down-too-long");
    expect(exclusionReason(replica({ masterLinkDownTimeMs: 304_000 }), SDOWN_CTX)).toBeNull();
    expect(exclusionReason(replica({ masterLinkDownTimeMs: 304_001 }), SDOWN_CTX)).toBe("master-link-down-too-long");
    expect(exclusionReason(replica({ masterLinkDownTimeMs: -1000 }), CTX)).toBeNull();
  });

  it("reports the first matching rule in §12 order", () => {
    const all = replica({
      sdown: true,
      odown: true,
      disconnected: true,
      lastAvailTime: 0,
      slavePriority: 0,
      infoRefresh: 0,
      masterLinkDownTimeMs: 1e9,
    });
    const order = [
      ["sdown", { sdown: false }],
      ["odown", { odown: false }],
      ["disconnected", { disconnected: false }],
      ["no-recent-ping-reply", { lastAvailTime: NOW }],
      ["priority-zero", { slavePriority: 1 }],
      ["info-too-old", { infoRefresh: NOW }],
      ["master-link-down-too-long", { masterLinkDownTimeMs: 0 }],
    ] as const;
    let r: RankingReplica = all;
    for (const [reason, fix] of order) {
      expect(exclusionReason(r, CTX)).toBe(reason);
      r = { ...r, ...fix };
    }
    expect(exclusionReason(r, CTX)).toBeNull();
  });
});

describe("ordering rules (§12)", () => {
  it("1. lower priority first", () => {
    const a = replica({ slavePriority: 10, replOffset: 1 });
    const b = replica({ slavePriority: 20, replOffset: 999 });
    expect(compareReplicas(a, b)).toBeLessThan(0);
    expect(compareReplicas(b, a)).toBeGreaterThan(0);
    expect(rankReplicas([b, a], CTX).ranked).toEqual([a, b]);
  });

  it("2. same priority: larger replication offset first", () => {
    const a = replica({ replOffset: 500 });
    const b = replica({ replOffset: 400 });
    expect(compareReplicas(a, b)).toBeLessThan(0);
    expect(rankReplicas([b, a], CTX).ranked).toEqual([a, b]);
  });

  it("3. same offset: smaller runid first, case-insensitively", () => {
    const a = replica({ runId: "ABC" });
    const b = replica({ runId: "abd" });
    expect(compareReplicas(a, b)).toBeLessThan(0);
    expect(compareReplicas(replica({ runId: "ABC" }), replica({ runId: "abc" }))).toBe(0);
    expect(rankReplicas([b, a], CTX).ranked).toEqual([a, b]);
  });

  it("3. runids compare as strcasecmp: fold to lower case, then byte (code point) order", () => {
    // strcasecmp lowercases first: 'B' -> 'b' (0x62) > '_' (0x5f)
    expect(compareReplicas(replica({ runId: "_" }), replica({ runId: "B" }))).toBeLessThan(0);
    expect(compareReplicas(replica({ runId: "ab" }), replica({ runId: "a" }))).toBeGreaterThan(0);
    expect(compareReplicas(replica({ runId: "\u{1F600}" }), replica({ runId: "\uFFFF" }))).toBeGreaterThan(0);
    expect(compareReplicas(replica({ runId: "B" }), replica({ runId: "_" }))).toBeGreaterThan(0);
    expect(compareReplicas(replica({ runId: "x\u{1F600}" }), replica({ runId: "X\u{1F600}y" }))).toBeLessThan(0);
    expect(compareReplicas(replica({ runId: "x\u{1F600}" }), replica({ runId: "X\u{1F600}" }))).toBe(0);
  });

  it("3. a null runid sorts after any runid; two nulls are equal", () => {
    const known = replica({ runId: "zzzz" });
    const unknown = replica({ runId: null });
    expect(compareReplicas(unknown, known)).toBeGreaterThan(0);
    expect(compareReplicas(known, unknown)).toBeLessThan(0);
    expect(compareReplicas(unknown, replica({ runId: null }))).toBe(0);
    expect(rankReplicas([unknown, known], CTX).ranked).toEqual([known, unknown]);
  });

  it("full ties keep input order (stable)", () => {
    const a = replica();
    const b = replica();
    const c = replica();
    expect(rankReplicas([b, c, a], CTX).ranked).toEqual([b, c, a]);
    expect(rankReplicas([a, b, c], CTX).ranked.map((r) => r.key)).toEqual([a.key, b.key, c.key]);
  });
});

describe("rankReplicas / selectReplica", () => {
  it("splits excluded replicas out with their reasons and keeps caller types", () => {
    type Tagged = RankingReplica & { tag: string };
    const good: Tagged = { ...replica({ replOffset: 10 }), tag: "good" };
    const better: Tagged = { ...replica({ replOffset: 20 }), tag: "better" };
    const down: Tagged = { ...replica({ sdown: true, replOffset: 99 }), tag: "down" };
    const zero: Tagged = { ...replica({ slavePriority: 0 }), tag: "zero" };
    const ranking = rankReplicas([good, down, better, zero], CTX);
    expect(ranking.ranked.map((r) => r.tag)).toEqual(["better", "good"]);
    expect(ranking.excluded.map((e) => [e.replica.tag, e.reason])).toEqual([
      ["down", "sdown"],
      ["zero", "priority-zero"],
    ]);
    expect(selectReplica([good, down, better, zero], CTX)?.tag).toBe("better");
  });

  it("does not reorder the caller's array", () => {
    const input = [replica({ replOffset: 1 }), replica({ replOffset: 2 })];
    const copy = [...input];
    rankReplicas(input, CTX);
    expect(input).toEqual(copy);
  });

  it("selects nothing when every replica is excluded (NOGOODSLAVE)", () => {
    expect(selectReplica([replica({ disconnected: true }), replica({ slavePriority: 0 })], CTX)).toBeUndefined();
    expect(selectReplica([], CTX)).toBeUndefined();
  });
});

describe("describeExclusion", () => {
  it("explains each reason with its numbers", () => {
    const r = replica({ lastAvailTime: NOW - 6000, infoRefresh: NOW - 31000, masterLinkDownTimeMs: 400_000 });
    expect(describeExclusion("sdown", r, CTX)).toBe(`${r.key} is subjectively down (SDOWN)`);
    expect(describeExclusion("odown", r, CTX)).toBe(`${r.key} is objectively down (ODOWN)`);
    expect(describeExclusion("disconnected", r, CTX)).toContain("no working link");
    expect(describeExclusion("no-recent-ping-reply", r, CTX)).toBe(
      `${r.key} last gave an acceptable PING reply 6000 ms ago, more than 5 × ping-period = 5000 ms`,
    );
    expect(describeExclusion("priority-zero", r, CTX)).toContain("replica-priority 0");
    expect(describeExclusion("info-too-old", r, CTX)).toBe(
      `${r.key} last answered INFO 31000 ms ago, more than 3 × info-period = 30000 ms`,
    );
    expect(describeExclusion("info-too-old", r, SDOWN_CTX)).toBe(
      `${r.key} last answered INFO 31000 ms ago, more than 5 × ping-period = 5000 ms (the master is SDOWN)`,
    );
    expect(describeExclusion("info-too-old", replica({ infoRefresh: 0 }), CTX)).toContain("never answered INFO");
    expect(describeExclusion("master-link-down-too-long", r, CTX)).toBe(
      `${r.key} reports its link to the master down for 400000 ms, more than 10 × down-after-milliseconds = 300000 ms`,
    );
    expect(describeExclusion("master-link-down-too-long", r, SDOWN_CTX)).toBe(
      `${r.key} reports its link to the master down for 400000 ms, more than 10 × down-after-milliseconds + 4000 ms of master SDOWN = 304000 ms`,
    );
  });
});

const replicaArb: fc.Arbitrary<RankingReplica> = fc.record({
  key: fc.nat(65535).map((p) => `10.0.0.9:${p}`),
  runId: fc.option(fc.constantFrom("aa", "AA", "ab", "b", "B0", "c"), { nil: null }),
  sdown: fc.boolean(),
  odown: fc.boolean(),
  disconnected: fc.boolean(),
  lastAvailTime: fc.integer({ min: NOW - 8000, max: NOW }),
  slavePriority: fc.constantFrom(0, 1, 10, 100),
  infoRefresh: fc.oneof(fc.constant(0), fc.integer({ min: NOW - 40000, max: NOW })),
  masterLinkDownTimeMs: fc.oneof(fc.constant(0), fc.constant(-1000), fc.integer({ min: 0, max: 400_000 })),
  replOffset: fc.integer({ min: 0, max: 5 }),
});
const ctxArb: fc.Arbitrary<RankingContext> = fc.record({
  now: fc.constant(NOW),
  pingPeriod: fc.constantFrom(500, 1000),
  infoPeriod: fc.constantFrom(5000, 10000),
  masterDownAfterMs: fc.constantFrom(1000, 30000),
  masterSdownSince: fc.option(fc.integer({ min: NOW - 100_000, max: NOW }), { nil: null }),
});

describe("ranking properties", () => {
  it("the selected replica is never excluded and no candidate ranks strictly better", () => {
    fc.assert(
      fc.property(fc.array(replicaArb, { maxLength: 10 }), ctxArb, (replicas, ctx) => {
        const chosen = selectReplica(replicas, ctx);
        const candidates = replicas.filter((r) => exclusionReason(r, ctx) === null);
        if (chosen === undefined) {
          expect(candidates).toEqual([]);
          return;
        }
        expect(exclusionReason(chosen, ctx)).toBeNull();
        for (const other of candidates) expect(compareReplicas(other, chosen)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("ranked + excluded partition the input, ranked is sorted", () => {
    fc.assert(
      fc.property(fc.array(replicaArb, { maxLength: 10 }), ctxArb, (replicas, ctx) => {
        const { ranked, excluded } = rankReplicas(replicas, ctx);
        expect(ranked.length + excluded.length).toBe(replicas.length);
        expect(new Set([...ranked, ...excluded.map((e) => e.replica)])).toEqual(new Set(replicas));
        for (const e of excluded) expect(exclusionReason(e.replica, ctx)).toBe(e.reason);
        for (let i = 1; i < ranked.length; i++) expect(compareReplicas(ranked[i - 1]!, ranked[i]!)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("compareReplicas is antisymmetric and transitive", () => {
    fc.assert(
      fc.property(replicaArb, replicaArb, replicaArb, (a, b, c) => {
        expect(Math.sign(compareReplicas(a, b))).toBe(-Math.sign(compareReplicas(b, a)) || 0);
        if (compareReplicas(a, b) <= 0 && compareReplicas(b, c) <= 0) expect(compareReplicas(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
