import { describe, expect, it } from "vitest";
import { runSeed } from "../src/sim/run-seed.js";
import { runSeeds } from "../src/sim/run-seeds.js";
import { digest } from "../src/sim/summary.js";

function traced(seed: number): { lines: string[]; result: ReturnType<typeof runSeed> } {
  const lines: string[] = [];
  const result = runSeed(seed, { trace: (l) => lines.push(l) });
  return { lines, result };
}

describe("determinism", { timeout: 120_000 }, () => {
  it("replays a seed identically: same trace line by line, same result", () => {
    const a = traced(42);
    const b = traced(42);
    expect(a.lines.length).toBeGreaterThan(50);
    expect(b.lines).toEqual(a.lines);
    expect(digest(b.result)).toEqual(digest(a.result));
  });

  it("gives different seeds different runs", () => {
    expect(traced(43).lines).not.toEqual(traced(44).lines);
  });

  it("does not depend on tracing or on how seeds are batched", async () => {
    const alone = digest(runSeed(45));
    expect(digest(traced(45).result)).toEqual(alone);
    const batch = await runSeeds({ seeds: [46, 45], jobs: 1 });
    expect(batch.find((d) => d.seed === 45)).toEqual(alone);
  });
});
