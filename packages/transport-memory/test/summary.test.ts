import { describe, expect, it } from "vitest";
import { percentile, type SeedDigest, summarize, summaryLine } from "../src/sim/summary.js";

const d = (seed: number, failoverMs: number[], lost: number, violation = false): SeedDigest => ({
  seed,
  violations: violation ? [{ checker: "single-leader", time: 1, message: "x" }] : [],
  failoverMs,
  notElected: failoverMs.length > 1 ? 2 : 0,
  acknowledged: 100,
  lost,
  lostByFault: lost > 0 ? { "crash-master": lost } : {},
  convergenceMs: violation ? null : 500,
  simulatedMs: 30_000,
  events: 1000,
});

describe("summary", () => {
  it("takes nearest-rank percentiles", () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });

  it("ends a run with the one-line summary, in the documented format", () => {
    const s = summarize([d(2, [100, 300], 4), d(1, [200], 0, true)]);
    expect(summaryLine(s)).toBe("seeds=2 violations=1 failovers=3 p50_failover_ms=200 p99_failover_ms=300 lost_writes=4 not_elected=2");
    expect(s.failing).toEqual([{ seed: 1, violation: { checker: "single-leader", time: 1, message: "x" } }]);
    expect(s.lostByFault).toEqual({ "crash-master": 4 });
  });
});
