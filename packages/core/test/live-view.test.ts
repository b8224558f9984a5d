import { describe, expect, it } from "vitest";
import { createPrng, createSentinelEngine } from "../src/index.js";

const MASTER = { host: "10.0.0.1", port: 6379 };

function engine() {
  const e = createSentinelEngine({ myId: "a".repeat(40), now: 0, prng: createPrng(1), masters: [{ settings: { name: "m", ...MASTER, quorum: 1, downAfterMs: 1000 } }] });
  e.start(0);
  return e;
}

describe("the engine view", () => {
  it("is live: a view taken before a step answers for the state after it", () => {
    const e = engine();
    const m = e.view().master("m")!;
    expect(m.health).toEqual({ state: "up" });
    // The master never answers: SDOWN after down-after-milliseconds.
    for (let now = 100; now <= 1500; now += 100) e.step({ kind: "tick", now });
    expect(m.health).toMatchObject({ state: "sdown", cause: "no-reply" });
    expect(e.view().master("m")).toBe(m);
  });

  it("answers with the same union objects while the machines do not move (hot replies allocate nothing)", () => {
    const e = engine();
    for (let now = 100; now <= 1500; now += 100) e.step({ kind: "tick", now });
    const m = e.view().master("m")!;
    const [health, odown, failover] = [m.health, m.odown, m.failover];
    expect(health.state).toBe("sdown");
    expect(m.health).toBe(health);
    expect(m.odown).toBe(odown);
    expect(m.failover).toBe(failover);
  });
});
