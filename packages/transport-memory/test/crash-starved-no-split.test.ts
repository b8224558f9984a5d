// Every sentinel sees a crash in the same instant, on a CPU-starved host (random stalls of up to
// 150 ms; after a stall timers run before the I/O that waited, as in Node): the campaign order must
// still produce one candidate per failover, never a split vote. One vote per epoch and authorised
// failovers only, checked on every seed.
import { FAST_TIMING } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { AuthorizedFailoverChecker } from "../src/checkers/authorized-failover.js";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";
import { LAN_PROFILE } from "../src/network/link-profile.js";
import { crashAndAwaitNewMaster } from "./crash-support.js";

const SEEDS = 40;

describe("crash path, simultaneous detection on a starved CPU (simulator)", { timeout: 180_000 }, () => {
  it(`no split vote in ${SEEDS} crash failovers`, () => {
    const splits: number[] = [];
    const times: number[] = [];
    const contested: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const network = { defaultProfile: { ...LAN_PROFILE, latencyMs: 1, jitterMs: 4 } };
      const cluster = new SimCluster({
        seed,
        timing: FAST_TIMING,
        network,
        downAfterMs: 30_000,
        failoverTimeoutMs: 60_000,
        crashDownAfterMs: 200,
        starvation: { stallChance: 0.2, maxStallMs: 150 },
      });
      const violations: Violation[] = [];
      let tries = 0;
      let notElected = 0;
      cluster.observe(new SingleLeaderChecker((v) => violations.push(v)));
      cluster.observe(new AuthorizedFailoverChecker({ sentinels: 3, quorumOf: () => 2 }, (v) => violations.push(v)));
      cluster.observe({ onSentinelOutput: (o) => o.output.events.forEach((e) => (e.type === "+try-failover" && tries++) || (e.type === "-failover-abort-not-elected" && notElected++)) });
      cluster.start();
      cluster.run(3000);
      const took = crashAndAwaitNewMaster(cluster, 20_000, () => {
        tries = 0;
        notElected = 0;
      });
      expect(took, `seed ${seed}`).not.toBeNull();
      expect(violations, `seed ${seed}`).toEqual([]);
      times.push(took ?? 0);
      if (notElected > 0) splits.push(seed);
      if (tries > 1) contested.push(seed);
    }
    times.sort((a, b) => a - b);
    console.log(`starved crash failovers: median ${times[SEEDS >> 1]} ms, max ${times[SEEDS - 1]} ms; split votes in seeds: ${splits.join(", ") || "none"}; more than one campaign in seeds: ${contested.join(", ") || "none"}`);
    expect(splits).toEqual([]);
  });
});
