// Lifting fences when Vigil's watch ends (engine/fencing/fence-lifting.ts): REMOVE, RESET, option off, shutdown.
import { describe, expect, it } from "vitest";
import type { EngineCommand, EngineOutput } from "../src/index.js";
import { MiniCluster } from "./support/mini-cluster.js";

const R = { host: "127.0.0.1", port: 6380 };

/** A cluster whose replica 6380 claims master and got a stale-master fence. */
function staleFenced(): MiniCluster {
  const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10000 });
  c.run(12000);
  const r = c.node(6380);
  r.role = "master";
  r.master = null;
  c.runUntil(() => c.saw(0, "+fence-stale-master"), 30000, 10);
  return c;
}

const lifts = (out: EngineOutput) => out.commands.filter((x): x is Extract<EngineCommand, { kind: "lift-fences" }> => x.kind === "lift-fences");

describe("lifting a stale-master fence", () => {
  const paths: [string, (c: MiniCluster) => EngineOutput][] = [
    ["SENTINEL REMOVE", (c) => c.call(0, (e, now) => ({ output: e.remove(now, "mymaster") })).output],
    ["SENTINEL RESET", (c) => c.call(0, (e, now) => e.reset(now, () => true)).output],
    ["SENTINEL SET vigil-fence-stale-master no", (c) => c.call(0, (e, now) => ({ output: e.setOption(now, "mymaster", { option: "vigil-fence-stale-master", value: false }) })).output],
    ["a clean shutdown", (c) => c.call(0, (e, now) => ({ output: e.liftAllFences(now) })).output],
  ];
  for (const [name, act] of paths) {
    it(`on ${name}: one lift at the fenced address, and only once`, () => {
      const c = staleFenced();
      const out = act(c);
      expect(lifts(out)).toEqual([{ kind: "lift-fences", addr: R, staleMaster: true, writes: false, auth: undefined, renames: {} }]);
      // Forgotten once lifted: a later shutdown does not lift it again.
      expect(lifts(c.call(0, (e, now) => ({ output: e.liftAllFences(now) })).output)).toEqual([]);
    });
  }

  it("nothing to lift when nothing was fenced", () => {
    const c = new MiniCluster({ sentinels: 1, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10000 });
    c.run(12000);
    expect(lifts(c.call(0, (e, now) => ({ output: e.liftAllFences(now) })).output)).toEqual([]);
  });
});
