import { describe, expect, it } from "vitest";
import { AuthorizedFailoverChecker } from "../src/checkers/authorized-failover.js";
import type { Violation } from "../src/checkers/violation.js";
import { id, masterView, observe, StubEngine, sentinel } from "./fakes.js";

const M = "mymaster";
const vote = (candidate: string, epoch: number) => ({ type: "+vote-for-leader", payload: `${id(candidate)} ${epoch}`, master: M });
const tried = { type: "+try-failover", payload: "master mymaster 10.0.1.1 6379", master: M };
const elected = { type: "+elected-leader", payload: "master mymaster 10.0.1.1 6379", master: M };

function setup() {
  const found: Violation[] = [];
  const checker = new AuthorizedFailoverChecker({ sentinels: 5, quorumOf: () => 2 }, (v) => found.push(v));
  const node = (c: string, epoch: number, odown = true) => {
    const s = sentinel(`s-${c}`, c);
    const e = new StubEngine(s.myId);
    e.masters = [masterView({ name: M, failoverEpoch: epoch, odown, failoverState: "wait_start" })];
    return { s, e };
  };
  return { found, checker, node };
}

describe("authorized-failover checker", () => {
  it("accepts a leader with ODOWN and votes from a majority of all sentinels", () => {
    const { found, checker, node } = setup();
    const a = node("a", 1);
    checker.onSentinelOutput(observe(a.s, a.e, [tried, vote("a", 1)]));
    for (const c of ["b", "c"]) checker.onSentinelOutput(observe(node(c, 0).s, node(c, 0).e, [vote("a", 1)]));
    checker.onSentinelOutput(observe(a.s, a.e, [elected]));
    checker.onPromotion({ time: 1, node: "10.0.1.2:6379", master: M, origin: { sentinel: id("a"), epoch: 1 }, changedRole: true });
    expect(found).toEqual([]);
  });

  it("catches an election without a majority (2 of 5 votes)", () => {
    const { found, checker, node } = setup();
    const a = node("a", 1);
    checker.onSentinelOutput(observe(a.s, a.e, [tried, vote("a", 1)]));
    checker.onSentinelOutput(observe(node("b", 0).s, node("b", 0).e, [vote("a", 1)]));
    checker.onSentinelOutput(observe(a.s, a.e, [elected]));
    expect(found.map((v) => v.message)).toEqual(["s-a elected for mymaster in epoch 1 with 2 vote(s); a majority needs 3"]);
  });

  it("does not count votes cast in another epoch", () => {
    const { found, checker, node } = setup();
    const a = node("a", 1);
    checker.onSentinelOutput(observe(a.s, a.e, [tried, vote("a", 1)]));
    for (const c of ["b", "c"]) checker.onSentinelOutput(observe(node(c, 0).s, node(c, 0).e, [vote("a", 2)]));
    checker.onSentinelOutput(observe(a.s, a.e, [elected]));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("with 1 vote(s)");
  });

  it("catches a failover that did not start in ODOWN", () => {
    const { found, checker, node } = setup();
    const a = node("a", 1, false);
    checker.onSentinelOutput(observe(a.s, a.e, [tried, vote("a", 1)]));
    for (const c of ["b", "c"]) checker.onSentinelOutput(observe(node(c, 0).s, node(c, 0).e, [vote("a", 1)]));
    checker.onSentinelOutput(observe(a.s, a.e, [elected]));
    expect(found.map((v) => v.message)).toEqual(["s-a elected for mymaster in epoch 1 but its attempt did not start in ODOWN"]);
  });

  it("catches a sentinel voting twice in one epoch (a broken vote rule)", () => {
    const { found, checker, node } = setup();
    const b = node("b", 0);
    checker.onSentinelOutput(observe(b.s, b.e, [vote("a", 4)]));
    checker.onSentinelOutput(observe(b.s, b.e, [vote("c", 4)]));
    expect(found.map((v) => v.message)).toEqual([`s-b voted twice in epoch 4 of mymaster: for ${id("a")} and for ${id("c")}`]);
  });

  it("catches a promotion by a sentinel that was not elected in that epoch, or by nobody", () => {
    const { found, checker } = setup();
    checker.onPromotion({ time: 5, node: "10.0.1.2:6379", master: M, origin: { sentinel: id("a"), epoch: 9 }, changedRole: true });
    checker.onPromotion({ time: 6, node: "10.0.1.3:6379", master: M, origin: undefined, changedRole: true });
    expect(found.map((v) => v.time)).toEqual([5, 6]);
    expect(found[0]!.message).toContain("without being elected in that epoch");
  });
});
