// Shared by the failover and switchover simulator tests: the default deployment with the real
// engine, watched by the single-leader and authorized-failover checkers and the write ledger.
import { AuthorizedFailoverChecker } from "../src/checkers/authorized-failover.js";
import { SingleLeaderChecker } from "../src/checkers/single-leader.js";
import type { Violation } from "../src/checkers/violation.js";
import { WriteLedger } from "../src/checkers/write-ledger.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";

/** 3 sentinels, 1 master + 2 replicas, started and run for 3 s; events as `s1 +type payload`. */
export function checkedDeployment(seed: number) {
  const cluster = new SimCluster({ seed });
  const violations: Violation[] = [];
  cluster.observe(new SingleLeaderChecker((v) => violations.push(v)));
  cluster.observe(new AuthorizedFailoverChecker({ sentinels: 3, quorumOf: () => 2 }, (v) => violations.push(v)));
  const ledger = new WriteLedger();
  cluster.observe(ledger);
  const events: string[] = [];
  cluster.observe({ onSentinelOutput: (o) => o.output.events.forEach((e) => events.push(`${o.sentinel.name} ${e.type} ${e.payload}`)) });
  cluster.start();
  cluster.run(3000);
  return { cluster, violations, ledger, events };
}

/** Whether `events` (from {@link checkedDeployment}) hold one of `type`, from `sentinel` if given. */
export function sawEvent(events: readonly string[], type: string, sentinel?: string): boolean {
  return events.some((e) => {
    const [who, t] = e.split(" ");
    return t === type && (sentinel === undefined || who === sentinel);
  });
}
