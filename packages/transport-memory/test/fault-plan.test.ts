import { createPrng } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { FAULT_DURATIONS } from "../src/faults/fault-kinds.js";
import { planFaults } from "../src/faults/fault-plan.js";
import { scenarioFor } from "../src/sim/scenario.js";

describe("fault schedules", () => {
  it("are drawn from the seed only, inside the safety window, with durations in range", () => {
    const a = planFaults(createPrng(1), { fromMs: 3000, untilMs: 30_000 });
    expect(planFaults(createPrng(1), { fromMs: 3000, untilMs: 30_000 })).toEqual(a);
    expect(a.length).toBeGreaterThan(3);
    for (const f of a) {
      expect(f.at).toBeGreaterThan(3000);
      expect(f.at).toBeLessThan(30_000);
      const range = FAULT_DURATIONS[f.kind];
      if (range) {
        expect(f.durationMs).toBeGreaterThanOrEqual(range[0]);
        expect(f.durationMs).toBeLessThanOrEqual(range[1]);
      } else expect(f.durationMs).toBe(0);
    }
  });

  it("honour weights: zero removes a kind, a single kind gives only that kind", () => {
    const only = planFaults(createPrng(2), { fromMs: 0, untilMs: 60_000, weights: Object.fromEntries([["crash-master", 1], ["partition", 0], ["partition-master-minority", 0], ["one-way-cut", 0], ["lossy-links", 0], ["crash-master-wipe", 0], ["crash-replica", 0], ["crash-replica-wipe", 0], ["pause-master", 0], ["pause-replica", 0], ["crash-sentinel", 0], ["clock-jump", 0], ["conn-reset", 0]]) });
    expect(new Set(only.map((f) => f.kind))).toEqual(new Set(["crash-master"]));
    const none = planFaults(createPrng(2), { fromMs: 0, untilMs: 60_000 });
    expect(none.some((f) => f.kind === "manual-failover")).toBe(false); // weight 0 by default
  });

  it("give each seed a stable scenario, overridable option by option", () => {
    expect(scenarioFor(7)).toEqual(scenarioFor(7));
    const s = scenarioFor(7, { sentinels: 5, masters: 2, safetyMs: 10_000 });
    expect(s).toMatchObject({ sentinels: 5, masters: 2, safetyMs: 10_000 });
    expect(s.priorities).toHaveLength(2);
    for (const row of s.priorities) expect(row.slice(1).some((p) => p > 0)).toBe(true);
  });
});
