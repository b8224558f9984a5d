import { describe, expect, it } from "vitest";
import { runSeed, type SafetyCheckerName } from "../src/sim/run-seed.js";

/** The CI budget: `npm run sim -- --seeds 500`. */
const CI_SEEDS = 500;

/** First seed (1, 2, ...) whose run breaks an invariant of `checker`, or null within the budget. */
function firstCaught(checker: SafetyCheckerName, voteTwicePerEpoch: boolean, limit = CI_SEEDS): number | null {
  for (let seed = 1; seed <= limit; seed++) {
    const r = runSeed(seed, { engineFaults: { voteTwicePerEpoch }, checkers: [checker] });
    if (r.violations.some((v) => v.checker === checker)) return seed;
  }
  return null;
}

describe("a deliberately broken vote rule (engine option faults.voteTwicePerEpoch)", () => {
  it("is caught as two leaders in one epoch within the CI seed budget, and never without the bug", () => {
    const seed = firstCaught("single-leader", true);
    expect(seed).not.toBeNull();
    expect(seed!).toBeLessThanOrEqual(CI_SEEDS);
    // The same seeds with the correct vote rule elect at most one leader per epoch.
    expect(firstCaught("single-leader", false, seed!)).toBeNull();
  }, 120_000);

  it("is caught as a double vote / unauthorized election within the CI seed budget, and never without the bug", () => {
    const seed = firstCaught("authorized-failover", true);
    expect(seed).not.toBeNull();
    const r = runSeed(seed!, { engineFaults: { voteTwicePerEpoch: true }, checkers: ["authorized-failover"] });
    expect(r.violations[0]!.message).toMatch(/voted twice|vote\(s\); a majority needs/);
    const healthy = runSeed(seed!, { checkers: ["authorized-failover"] });
    expect(healthy.violations.filter((v) => /voted twice/.test(v.message))).toEqual([]);
  }, 120_000);
});
