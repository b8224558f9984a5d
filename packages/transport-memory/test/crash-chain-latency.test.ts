// The crash path's chain after SDOWN, with every sentinel seeing the crash within milliseconds: a
// sentinel that asked its peers a moment before they saw the crash must not wait a whole ask
// period for their agreement (ODOWN), and the first-ranked sentinel campaigns at once.
import { FAST_TIMING } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { SimCluster } from "../src/cluster/sim-cluster.js";
import { LAN_PROFILE } from "../src/network/link-profile.js";

describe("crash path latency after SDOWN (simulator)", { timeout: 120_000 }, () => {
  it("every sentinel reaches ODOWN within 90 ms (two round trips) of its own SDOWN, and the first campaign starts within 10 ms of its sentinel's ODOWN", () => {
    const slowOdown: string[] = [];
    const slowStart: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      // Up to 20 ms of jitter each way: the sentinels see the crash some milliseconds apart.
      const network = { defaultProfile: { ...LAN_PROFILE, jitterMs: 20 } };
      const cluster = new SimCluster({ seed, timing: FAST_TIMING, network, downAfterMs: 30_000, failoverTimeoutMs: 60_000, crashDownAfterMs: 200 });
      const sdownAt = new Map<string, number>();
      const odownAt = new Map<string, number>();
      let firstTry: { name: string; time: number } | null = null;
      cluster.observe({
        onSentinelOutput: (o) => {
          for (const e of o.output.events) {
            if (e.type === "+sdown" && e.payload.startsWith("master ") && !sdownAt.has(o.sentinel.name)) sdownAt.set(o.sentinel.name, o.time);
            if (e.type === "+odown" && !odownAt.has(o.sentinel.name)) odownAt.set(o.sentinel.name, o.time);
            if (e.type === "+try-failover" && firstTry === null) firstTry = { name: o.sentinel.name, time: o.time };
          }
        },
      });
      cluster.start();
      cluster.run(3000);
      sdownAt.clear();
      odownAt.clear();
      cluster.crashRedis("10.0.1.1:6379");
      cluster.run(3000);
      for (const [name, t] of sdownAt) {
        const odown = odownAt.get(name);
        // (A sentinel may learn the new master by hello before its own ODOWN.)
        if (odown !== undefined && odown - t > 90) slowOdown.push(`seed ${seed} ${name}: sdown ${t} odown ${odown}`);
      }
      const first = firstTry as { name: string; time: number } | null;
      const ownOdown = first === null ? undefined : odownAt.get(first.name);
      if (first === null || ownOdown === undefined || first.time - ownOdown > 10) slowStart.push(`seed ${seed}: ${first?.name} odown ${ownOdown} try ${first?.time}`);
    }
    expect(slowOdown).toEqual([]);
    expect(slowStart).toEqual([]);
  });
});
