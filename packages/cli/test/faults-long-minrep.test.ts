/**
 * Long fault variants, only with VIGIL_LONG_TESTS=1 (docs/reliability.md): every default scenario
 * again with `min-replicas-to-write 1` / `min-replicas-max-lag 2` on the data nodes (Vigil vs
 * redis-sentinel), and every default scenario with Vigil's write fencing against redis-sentinel with
 * those min-replicas settings (the best Sentinel can do).
 */
import { afterAll } from "vitest";
import { cleanupAll, defineFaultSuite, FAST_SCENARIOS, LONG, waitFenced } from "./support/faults.js";

afterAll(cleanupAll);

if (!LONG) throw new Error("the long fault set runs with VIGIL_LONG_TESTS=1 (npm run test:long)");
const minrep = ["min-replicas-to-write 1", "min-replicas-max-lag 2"];
await defineFaultSuite({ scenarios: FAST_SCENARIOS, dataExtra: minrep });
await defineFaultSuite({
  scenarios: FAST_SCENARIOS,
  label: "Vigil fenced vs redis-sentinel with min-replicas 1/2",
  sentinelExtra: { vigil: ["sentinel vigil-fence-writes %NAME% yes"] },
  variantFor: { vigil: "fenced", redis: "min-replicas 1/2" },
  beforeFault: { vigil: waitFenced },
  dataExtraFor: { redis: minrep },
});
