/**
 * Network faults with real processes, each node on its own 127.90.<block>.x address and links cut by
 * iptables DROP rules on lo (support/fault-kit.mjs): the Jepsen case (master cut off from every
 * sentinel and replica, still written to by a client), a 1|2 sentinel split during an election, and
 * a flapping master link. Each runs against 3 Vigil daemons, then against 3 redis-sentinel, with the
 * same schedule; after healing: exactly one master that every sentinel reports with the same config
 * epoch and every replica follows, epochs never went backwards, no epoch had two leaders or
 * promotions; lost writes compared (Vigil never more than Sentinel). The Jepsen case and the flapping
 * link run once more with Vigil's write fencing switched on (`SENTINEL SET mymaster vigil-fence-writes
 * yes`): the Jepsen target is at most 10% of Sentinel's lost writes. Needs root, iptables, redis-server and redis-sentinel (a
 * missing one fails the file). `npm run test:long` adds the faults-long-* files.
 */
import { afterAll } from "vitest";
import { cleanupAll, defineFaultSuite } from "./support/faults.js";

afterAll(cleanupAll);

await defineFaultSuite({ scenarios: ["jepsen", "split", "flapping"], fenced: ["jepsen", "flapping"] });
