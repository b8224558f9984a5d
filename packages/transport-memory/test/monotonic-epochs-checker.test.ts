import type { PersistedState } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { MonotonicEpochChecker } from "../src/checkers/monotonic-epochs.js";
import type { Violation } from "../src/checkers/violation.js";
import { masterView, observe, StubEngine, sentinel } from "./fakes.js";

const state = (epoch: number): PersistedState => ({ myId: "a".repeat(40), currentEpoch: epoch, global: {} as PersistedState["global"], masters: [] });

describe("monotonic-epochs checker", () => {
  it("catches a current epoch going down, also across a restart", () => {
    const found: Violation[] = [];
    const c = new MonotonicEpochChecker((v) => found.push(v));
    const s = sentinel("s1", "a");
    const e = new StubEngine(s.myId);
    e.epoch = 4;
    c.onSentinelOutput(observe(s, e, []));
    const restarted = new StubEngine(s.myId);
    restarted.epoch = 2; // came back with less than it had acted in
    c.onSentinelRestart(s);
    c.onSentinelOutput(observe(s, restarted, [], { origin: "start", time: 99 }));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe("current epoch of s1 went down from 4 to 2 (start)");
  });

  it("catches a persisted epoch lower than a previously persisted one", () => {
    const found: Violation[] = [];
    const c = new MonotonicEpochChecker((v) => found.push(v));
    const s = sentinel("s1", "a");
    c.onPersist(s, state(3), 1);
    c.onPersist(s, state(3), 2);
    c.onPersist(s, state(2), 3);
    expect(found.map((v) => v.time)).toEqual([3]);
  });

  it("catches a config epoch going down within one process lifetime", () => {
    const found: Violation[] = [];
    const c = new MonotonicEpochChecker((v) => found.push(v));
    const s = sentinel("s1", "a");
    const e = new StubEngine(s.myId);
    e.masters = [masterView({ name: "mymaster", configEpoch: 5 })];
    const sw = { type: "+switch-master", payload: "mymaster 10.0.1.1 6379 10.0.1.2 6379", master: "mymaster" };
    c.onSentinelOutput(observe(s, e, [sw]));
    e.masters = [masterView({ name: "mymaster", configEpoch: 4 })];
    c.sample({ now: 7, groupNames: () => ["mymaster"], liveSentinels: () => [{ ref: s, engine: e }], dataNodes: () => [] });
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe("config epoch of mymaster on s1 went down from 5 to 4");
  });

  it("accepts epochs that only grow", () => {
    const found: Violation[] = [];
    const c = new MonotonicEpochChecker((v) => found.push(v));
    const s = sentinel("s1", "a");
    const e = new StubEngine(s.myId);
    for (const epoch of [0, 1, 1, 2, 7]) {
      e.epoch = epoch;
      c.onSentinelOutput(observe(s, e, []));
      c.onPersist(s, state(epoch), epoch);
    }
    expect(found).toEqual([]);
  });
});
