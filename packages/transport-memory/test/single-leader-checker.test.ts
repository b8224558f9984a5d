import { describe, expect, it } from "vitest";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { masterView, observe, StubEngine, sentinel } from "./fakes.js";

const elected = { type: "+elected-leader", payload: "master mymaster 10.0.1.1 6379", master: "mymaster" };

function leaderIn(c: string, epoch: number) {
  const s = sentinel(`s-${c}`, c);
  const e = new StubEngine(s.myId);
  e.masters = [masterView({ name: "mymaster", failoverEpoch: epoch, failoverState: "select_slave" })];
  return { s, e };
}

describe("single-leader checker", () => {
  it("catches two sentinels elected for the same master in the same epoch", () => {
    const found: Violation[] = [];
    const c = new SingleLeaderChecker((v) => found.push(v));
    const a = leaderIn("a", 3);
    const b = leaderIn("b", 3);
    c.onSentinelOutput(observe(a.s, a.e, [elected], { time: 10 }));
    c.onSentinelOutput(observe(b.s, b.e, [elected], { time: 20 }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ checker: "single-leader", time: 20 });
    expect(found[0]!.message).toContain("two leaders for mymaster in epoch 3");
  });

  it("accepts one leader per epoch, and the same leader announcing twice", () => {
    const found: Violation[] = [];
    const c = new SingleLeaderChecker((v) => found.push(v));
    const a = leaderIn("a", 3);
    const b = leaderIn("b", 4);
    c.onSentinelOutput(observe(a.s, a.e, [elected]));
    c.onSentinelOutput(observe(a.s, a.e, [elected]));
    c.onSentinelOutput(observe(b.s, b.e, [elected]));
    expect(found).toEqual([]);
  });

  it("exempts attempts forced by SENTINEL FAILOVER, which skip the election by design", () => {
    const found: Violation[] = [];
    const c = new SingleLeaderChecker((v) => found.push(v));
    const a = leaderIn("a", 5);
    const b = leaderIn("b", 5);
    c.onSentinelOutput(observe(a.s, a.e, [elected]));
    const tried = { type: "+try-failover", payload: "master mymaster 10.0.1.1 6379", master: "mymaster" };
    c.onSentinelOutput(observe(b.s, b.e, [tried, elected], { origin: "failover-api", result: "ok" }));
    expect(found).toEqual([]);
  });
});
