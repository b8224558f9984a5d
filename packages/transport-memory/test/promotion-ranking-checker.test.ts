import type { RankingContext, RankingReplica } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { PromotionRankingChecker } from "../src/checkers/promotion-ranking.js";
import type { Violation } from "../src/checkers/violation.js";
import { masterView, observe, StubEngine, sentinel } from "./fakes.js";

const NOW = 1_000_000;
const ctx: RankingContext = { now: NOW, pingPeriod: 100, infoPeriod: 10000, masterDownAfterMs: 1000, masterSdownSince: NOW - 2000 };

function replica(key: string, over: Partial<RankingReplica> = {}): RankingReplica {
  return {
    key,
    runId: key.replace(/\D/g, "").padEnd(40, "0"),
    sdown: false,
    odown: false,
    disconnected: false,
    lastAvailTime: NOW - 50,
    slavePriority: 100,
    infoRefresh: NOW - 100,
    masterLinkDownTimeMs: 0,
    replOffset: 1000,
    ...over,
  };
}

/** An engine whose view offers ranking facts, as the real one does (`MasterView.ranking`). */
class RankingEngine extends StubEngine {
  constructor(myId: string, replicas: RankingReplica[]) {
    super(myId);
    this.masters = [masterView({ name: "mymaster", ranking: { replicas, ctx } })];
  }
}

const selected = (key: string) => ({ type: "+selected-slave", payload: `slave ${key} ${key.split(":")[0]} 6379 @ mymaster 10.0.1.1 6379`, master: "mymaster" });

function check(replicas: RankingReplica[], pick: string, truePriority?: (k: string) => number | undefined): Violation[] {
  const found: Violation[] = [];
  const s = sentinel("s1", "a");
  new PromotionRankingChecker((v) => found.push(v), truePriority).onSentinelOutput(observe(s, new RankingEngine(s.myId, replicas), [selected(pick)], { time: NOW }));
  return found;
}

describe("promotion-ranking checker", () => {
  const r2 = replica("10.0.1.2:6379", { replOffset: 900 });
  const r3 = replica("10.0.1.3:6379", { replOffset: 1000 });

  it("accepts the best replica (larger offset at equal priority)", () => {
    expect(check([r2, r3], r3.key)).toEqual([]);
  });

  it("catches a worse replica being promoted", () => {
    const found = check([r2, r3], r2.key);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("but 10.0.1.3:6379 ranks better (priority 100, offset 1000)");
  });

  it("catches a lower priority number being passed over, whatever the offsets", () => {
    const preferred = replica("10.0.1.4:6379", { slavePriority: 10, replOffset: 1 });
    expect(check([r3, preferred], r3.key)).toHaveLength(1);
  });

  it("catches an excluded replica being promoted (stale INFO while the master is down)", () => {
    const stale = replica("10.0.1.5:6379", { infoRefresh: NOW - 5000, replOffset: 99999 });
    const found = check([r2, stale], stale.key);
    expect(found[0]!.message).toContain("although its INFO is too old");
  });

  it("catches a replica configured with priority 0 being promoted, even when the engine did not know", () => {
    const found = check([r3], r3.key, (k) => (k === r3.key ? 0 : 100));
    expect(found[0]!.message).toBe("s1 selected 10.0.1.3:6379, configured with replica-priority 0");
  });
});
