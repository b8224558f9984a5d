/**
 * Extra fault scenarios, only with VIGIL_LONG_TESTS=1 (docs/reliability.md): a 30 s Jepsen cut, the
 * first candidate isolated from every node during the election, a sentinel-to-sentinel link flapping
 * while the master dies, a short SIGSTOP of the leader, and a leader crashing right at the promotion
 * (SENTINEL SIMULATE-FAILURE crash-after-promotion). Vigil, then redis-sentinel, same checks as the
 * default set.
 */
import { afterAll } from "vitest";
import { cleanupAll, defineFaultSuite, EXTRA_SCENARIOS, LONG } from "./support/faults.js";

afterAll(cleanupAll);

if (!LONG) throw new Error("the long fault set runs with VIGIL_LONG_TESTS=1 (npm run test:long)");
await defineFaultSuite({ scenarios: Object.keys(EXTRA_SCENARIOS) });
