// The campaign order waits for the first-ranked sentinel (lowest run id) when it agrees the master
// is down. What that costs when the first-ranked sentinel dies with the master: nothing when it
// crashes (its connections are refused, so it ranks nobody), one slot when it falls silent (it never
// agreed, so the next one waits one slot, not the patience for an agreeing peer).
import { addressKey, FAST_TIMING } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";
import { agreedMaster, FIRST_MASTER } from "./crash-support.js";

/** Every sentinel but `except` names a master other than the crashed one. */
function othersSwitched(cluster: SimCluster, except: string): boolean {
  return cluster.sentinels.every((s) => s.name === except || !s.alive || addressKey(s.engine.getMasterAddrByName("mymaster") ?? { host: "", port: 0 }) !== FIRST_MASTER);
}

function measure(kill: (cluster: SimCluster, first: { name: string; host: string }) => void): number[] {
  const times: number[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const cluster = new SimCluster({ seed, timing: FAST_TIMING, downAfterMs: 30_000, failoverTimeoutMs: 60_000, crashDownAfterMs: 200 });
    const violations: Violation[] = [];
    cluster.observe(new SingleLeaderChecker((v) => violations.push(v)));
    cluster.start();
    cluster.run(3000);
    const first = [...cluster.sentinels].sort((a, b) => (a.myId < b.myId ? -1 : 1))[0]!;
    expect(agreedMaster(cluster)).toBe(FIRST_MASTER);
    kill(cluster, first);
    const t0 = cluster.now;
    cluster.crashRedis(FIRST_MASTER);
    const took = cluster.runUntil(() => othersSwitched(cluster, first.name), 20_000) ? cluster.now - t0 : null;
    expect(took, `seed ${seed}`).not.toBeNull();
    expect(violations, `seed ${seed}`).toEqual([]);
    times.push(took ?? 0);
  }
  return times.sort((a, b) => a - b);
}

describe("crash path with the first-ranked sentinel gone too (simulator)", { timeout: 120_000 }, () => {
  it("crashed with the master: the others fail over as fast as without it", () => {
    const times = measure((cluster, first) => cluster.crashSentinel(first.name));
    console.log(`first-ranked sentinel crashed with the master: ${times.join(", ")} ms`);
    expect(times[times.length - 1]).toBeLessThan(500);
  });

  it("cut off silently with the master: the next one campaigns one slot later", () => {
    const times = measure((cluster, first) => {
      cluster.partition([[first.host], cluster.hosts().filter((h) => h !== first.host)]);
    });
    console.log(`first-ranked sentinel cut off with the master: ${times.join(", ")} ms`);
    expect(times[times.length - 1]).toBeLessThan(800);
  });
});
