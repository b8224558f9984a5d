import { describe, expect, it } from "vitest";
import { ReportedMasterChecker } from "../src/checkers/reported-master.js";
import type { Violation } from "../src/checkers/violation.js";
import { id, masterView, observe, StubEngine, sentinel } from "./fakes.js";

const R2 = { host: "10.0.1.2", port: 6379 };
const R3 = { host: "10.0.1.3", port: 6379 };
const sw = { type: "+switch-master", payload: "mymaster 10.0.1.1 6379 10.0.1.2 6379", master: "mymaster" };

function setup() {
  const found: Violation[] = [];
  const checker = new ReportedMasterChecker({ mymaster: "10.0.1.1:6379" }, (v) => found.push(v));
  const s = sentinel("s1", "a");
  const e = new StubEngine(s.myId);
  const report = (addr: { host: string; port: number }, configEpoch: number) => {
    e.masters = [masterView({ name: "mymaster", addr, currentAddr: addr, configEpoch })];
    checker.onSentinelOutput(observe(s, e, [sw], { time: configEpoch }));
  };
  return { found, checker, report };
}

describe("reported-master checker", () => {
  it("accepts the initial master at epoch 0 and a node promoted in the reported epoch", () => {
    const { found, checker, report } = setup();
    report({ host: "10.0.1.1", port: 6379 }, 0);
    checker.onPromotion({ time: 1, node: "10.0.1.2:6379", master: "mymaster", origin: { sentinel: id("b"), epoch: 3 }, changedRole: true });
    report(R2, 3);
    report(R2, 2); // lagging behind is fine: promoted in 3 ≥ 2
    expect(found).toEqual([]);
  });

  it("catches a master that was never promoted", () => {
    const { found, report } = setup();
    report(R3, 1);
    expect(found.map((v) => v.message)).toEqual(["s1 reports 10.0.1.3:6379 as master of mymaster with config epoch 1, but that node was never promoted"]);
  });

  it("catches a newer config epoch attached to an older promotion", () => {
    const { found, checker, report } = setup();
    checker.onPromotion({ time: 1, node: "10.0.1.2:6379", master: "mymaster", origin: { sentinel: id("b"), epoch: 3 }, changedRole: true });
    report(R2, 5);
    expect(found[0]!.message).toContain("but it was promoted only in epoch(s) 3");
  });
});
