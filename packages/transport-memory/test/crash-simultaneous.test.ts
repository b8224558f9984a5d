// Crash detection with every sentinel seeing the crash in the same instant and campaigning at once:
// split votes happen, and a provably split epoch is retried after a short back-off, never
// 2 × failover-timeout; one leader per epoch and authorised failovers only.
import { FAST_TIMING } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { AuthorizedFailoverChecker } from "../src/checkers/authorized-failover.js";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";
import { LAN_PROFILE } from "../src/network/link-profile.js";
import { runSeed } from "../src/sim/run-seed.js";
import { crashAndAwaitNewMaster } from "./crash-support.js";

describe("crash path with simultaneous detection (simulator)", { timeout: 120_000 }, () => {
  it("fails over within seconds of a crash although down-after is 30 s and the vote splits", () => {
    let notElected = 0;
    for (let seed = 1; seed <= 12; seed++) {
      // 20 ms one way: a vote request takes longer to arrive than the sentinels take to start campaigning.
      const network = { defaultProfile: { ...LAN_PROFILE, latencyMs: 20 } };
      const cluster = new SimCluster({ seed, timing: { ...FAST_TIMING, startJitter: 0 }, network, downAfterMs: 30_000, failoverTimeoutMs: 60_000, crashDownAfterMs: 300 });
      const violations: Violation[] = [];
      cluster.observe(new SingleLeaderChecker((v) => violations.push(v)));
      cluster.observe(new AuthorizedFailoverChecker({ sentinels: 3, quorumOf: () => 2 }, (v) => violations.push(v)));
      cluster.observe({ onSentinelOutput: (o) => o.output.events.forEach((e) => e.type === "-failover-abort-not-elected" && notElected++) });
      cluster.start();
      cluster.run(3000);
      const took = crashAndAwaitNewMaster(cluster, 20_000);
      expect(took, `seed ${seed}`).not.toBeNull();
      // 2 × failover-timeout would be 120 s: a split retried this way could never fit.
      expect(took, `seed ${seed}`).toBeLessThan(3000);
      expect(violations, `seed ${seed}`).toEqual([]);
    }
    console.log(`simultaneous crash detection: ${notElected} elections ended not elected over 12 seeds`);
    expect(notElected).toBeGreaterThan(0); // the seeds do force split votes
  });

  it("the full seed runner with every checker passes seeds forced to simultaneous crash detection", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = runSeed(seed, { simultaneousStart: true, crashDownAfterMs: 300, timing: "fast", faultWeights: { "crash-master": 10 } });
      expect(r.scenario.simultaneousStart).toBe(true);
      expect(r.violations, `seed ${seed}`).toEqual([]);
      expect(r.convergenceMs, `seed ${seed}`).not.toBeNull();
    }
  });
});
