/**
 * Process faults with real processes on per-node loopback addresses (support/fault-kit.mjs): the
 * elected leader SIGSTOPped mid-failover, kill -9 of the leader right after the promotion, the old
 * master returning (SIGCONT) while the replicas are being reconfigured, and a sentinel stalled longer
 * than the TILT trigger before the master dies. Each runs against 3 Vigil daemons, then against
 * 3 redis-sentinel, with the same schedule and the same checks as faults-partitions.test.ts; the
 * returning old master runs once more with Vigil's write fencing on.
 */
import { afterAll } from "vitest";
import { cleanupAll, defineFaultSuite } from "./support/faults.js";

afterAll(cleanupAll);

await defineFaultSuite({ scenarios: ["stop-leader", "kill-leader", "old-master-returns", "tilt"], fenced: ["old-master-returns"] });
