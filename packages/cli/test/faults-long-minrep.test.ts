/**
 * Long fault variants, only with VIGIL_LONG_TESTS=1 (docs/reliability.md): every default scenario
 * again with `min-replicas-to-write 1` / `min-replicas-max-lag 2` on the data nodes (Vigil vs
 * redis-sentinel), and every default scenario with Vigil's write fencing against redis-sentinel with
 * those min-replicas settings (the best Sentinel can do). Without the flag the file reports one
 * skipped test.
 */
import { afterAll, it } from "vitest";
import { call, cleanupAll, currentMaster, defineFaultSuite, FAST_SCENARIOS, type FaultCluster, LONG, waitFor } from "./support/faults.js";

afterAll(cleanupAll);

if (!LONG) it.skip("long fault variants (set VIGIL_LONG_TESTS=1)", () => {});
else {
  const minrep = ["min-replicas-to-write 1", "min-replicas-max-lag 2"];
  await defineFaultSuite({ scenarios: FAST_SCENARIOS, dataExtra: minrep });
  const fenced = async (c: FaultCluster) => {
    await waitFor(
      async () => {
        const m = await currentMaster(c);
        return ((await call(m.host, m.port, ["CONFIG", "GET", "min-replicas-to-write"])) as string[])[1] === "1";
      },
      20000,
      100,
      "Vigil's write fence on the master",
    );
  };
  await defineFaultSuite({
    scenarios: FAST_SCENARIOS,
    label: "Vigil fenced vs redis-sentinel with min-replicas 1/2",
    sentinelExtra: { vigil: ["sentinel vigil-fence-writes %NAME% yes"] },
    dataExtra: undefined,
    variantFor: { vigil: "fenced", redis: "min-replicas 1/2" },
    beforeFault: { vigil: fenced },
    dataExtraFor: { redis: minrep },
  });
}
