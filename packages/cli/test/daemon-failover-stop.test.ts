/**
 * Failover of a frozen master (SIGSTOP, then SIGCONT) and manual `SENTINEL FAILOVER`, with real
 * processes on 127.0.0.1: three Vigil daemons, one master, two replicas (down-after 1000 ms, quorum 2,
 * default `fast` timing). The two tests share the cluster and run in order. In both cases the old
 * master is still alive afterwards and believes it is a master: the daemons must convert it.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { currentMaster, expectConvertedToReplica, expectFailedOver } from "./support/failover-checks.js";
import { type Cluster, cleanup, cmd, dumpLogs, requireBinary, roleOf, startCluster, waitAgreedMaster, waitDiscovered, writeReplicated } from "./support/processes.js";

let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  c = await startCluster({ replicas: 2, sentinels: 3, downAfter: 1000, quorum: 2 });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

it("SIGSTOP of the master: a replica is promoted; after SIGCONT the old master ends up a replica", async () => {
  const old = await currentMaster(c);
  await writeReplicated(old, "k:stop", "before-stop", 2);
  old.kill("SIGSTOP");
  let addr: string;
  try {
    ({ addr } = await expectFailedOver(c, old, "k:stop", "before-stop"));
  } finally {
    old.kill("SIGCONT");
  }
  // Woken up it still believes it is the master (its replicas are gone); the daemons convert it.
  expect(await roleOf(old)).toBe("master");
  await expectConvertedToReplica(old, addr, "k:stop:after", "written-after-failover");
  expect(await waitAgreedMaster(c)).toBe(addr);
  await waitDiscovered(c);
});

it("manual SENTINEL FAILOVER: a replica is promoted without any failure, the old master is converted", async () => {
  const old = await currentMaster(c);
  await writeReplicated(old, "k:manual", "before-manual", 2);
  // Sent to a daemon other than the first one: it needs no votes (forced) and the others follow by hello.
  expect(await cmd(c.sentinels[1]!.port, "SENTINEL", "FAILOVER", "mymaster")).toBe("OK");
  const { addr } = await expectFailedOver(c, old, "k:manual", "before-manual");
  await expectConvertedToReplica(old, addr, "k:manual:after", "written-after-failover");
  expect(await waitAgreedMaster(c)).toBe(addr);
  await waitDiscovered(c);
});
