// A step's output (engine/output.ts): a step that produced nothing returns the one shared
// EMPTY_OUTPUT (no allocation per PONG); a step that did returns arrays of its own, never reused by a
// later step.
import { describe, expect, it } from "vitest";
import { EMPTY_OUTPUT } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

describe("engine output", () => {
  it("is EMPTY_OUTPUT for a step with neither command nor event, and owns its arrays otherwise", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 1, seed: 2 });
    c.run(3000);
    const engine = c.sentinels[0]!.engine;
    const addr = { host: "127.0.0.1", port: 6379 };
    const quiet = engine.step({ kind: "publish-reply", now: c.now, addr, ok: true });
    expect(quiet).toBe(EMPTY_OUTPUT);
    expect(Object.isFrozen(EMPTY_OUTPUT)).toBe(true);
    expect([EMPTY_OUTPUT.commands.length, EMPTY_OUTPUT.events.length]).toEqual([0, 0]);

    const busy = engine.step({ kind: "tick", now: c.now + 5000 });
    expect(busy.commands.length).toBeGreaterThan(0);
    const kept = [...busy.commands];
    const next = engine.step({ kind: "tick", now: c.now + 10000 });
    expect(next.commands).not.toBe(busy.commands);
    expect(busy.commands).toEqual(kept); // a later step does not write into an earlier output
  });
});
