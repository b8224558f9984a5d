// The engine skips the tick walk of subtrees with nothing due (core `engine/tick/tick-due.ts`). That must
// be invisible: every seeded run, faults and all, is identical to the reference engine that walks
// every subtree on every tick — same trace line by line, same outcome, same number of messages.
import { describe, expect, it } from "vitest";
import { runSeed } from "../src/sim/run-seed.js";
import { digest } from "../src/sim/summary.js";

function traced(seed: number, walkEveryTick: boolean) {
  const lines: string[] = [];
  const result = runSeed(seed, { trace: (l) => lines.push(l), engineFaults: { walkEveryTick } });
  return { lines, digest: digest(result), events: result.events };
}

describe("tick-walk skipping", { timeout: 120_000 }, () => {
  it("changes nothing: 60 seeds replay identically with and without it", () => {
    let failovers = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const skipping = traced(seed, false);
      const reference = traced(seed, true);
      expect(skipping.lines.length, `seed ${seed}`).toBeGreaterThan(50);
      expect(skipping.lines, `seed ${seed}`).toEqual(reference.lines);
      expect(skipping.digest, `seed ${seed}`).toEqual(reference.digest);
      // Every PING, INFO and hello is a scheduled delivery: one sent late or not at all changes this.
      expect(skipping.events, `seed ${seed}`).toBe(reference.events);
      failovers += skipping.digest.failoverMs.length;
    }
    expect(failovers).toBeGreaterThan(20); // the seeds do exercise failovers
  });
});
