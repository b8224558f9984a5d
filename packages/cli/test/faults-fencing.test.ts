/**
 * Vigil's write fencing (`sentinel vigil-fence-writes <master> yes`) under real faults: Vigil keeps
 * `min-replicas-to-write` on the master while it has a healthy replica, so a master cut off from its
 * replicas stops acknowledging writes after `vigil-fence-max-lag` (default 1 s) instead of for the
 * whole partition plus its demotion. Same schedules as faults-partitions / faults-processes; Vigil
 * fenced against redis-sentinel without any min-replicas setting (the configuration of the issue's
 * reference measurement). Target: in the Jepsen case, Vigil loses at most 10% of what Sentinel loses.
 * Loss is compared as the loss window (first to last lost write, ms), which unlike the raw count does
 * not depend on how fast a loaded machine managed to write; the counts are printed alongside.
 */
import { afterAll, expect } from "vitest";
import { call, cleanupAll, currentMaster, defineFaultSuite, type FaultCluster, waitFor } from "./support/faults.js";

afterAll(cleanupAll);

/** Vigil applies the fence after discovering a healthy replica: wait for it on the current master. */
async function fenced(c: FaultCluster): Promise<void> {
  await waitFor(
    async () => {
      const m = await currentMaster(c);
      const r = (await call(m.host, m.port, ["CONFIG", "GET", "min-replicas-to-write"])) as string[];
      return r[1] === "1";
    },
    20000,
    100,
    "Vigil's write fence on the master",
  );
}

await defineFaultSuite({
  scenarios: ["jepsen", "old-master-returns"],
  label: "Vigil fenced vs plain redis-sentinel",
  sentinelExtra: { vigil: ["sentinel vigil-fence-writes %NAME% yes"] },
  variantFor: { vigil: "fenced" },
  beforeFault: { vigil: fenced },
  compare: (v, s) => {
    console.log(`${v.scenario}: fenced Vigil lost ${v.lost.lost} of ${v.lost.acked} (window ${v.lost.lossWindowMs} ms); Sentinel lost ${s.lost.lost} of ${s.lost.acked} (window ${s.lost.lossWindowMs} ms)`);
    if (v.scenario === "jepsen") {
      // Sentinel must have failed over for the comparison to mean anything.
      expect(s.failoverEpochs.length).toBeGreaterThan(0);
      expect.soft(v.lost.lossWindowMs, "fenced Vigil's loss window ≤ 10% of Sentinel's").toBeLessThanOrEqual(0.1 * s.lost.lossWindowMs);
    } else expect.soft(v.lost.lossWindowMs).toBeLessThanOrEqual(s.lost.lossWindowMs + 500);
  },
});
