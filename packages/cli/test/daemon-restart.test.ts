/**
 * A Vigil daemon killed (-9) in the middle of a failover restarts from the file it had rewritten and
 * adopts the new master. Real processes on 127.0.0.1: three daemons, one master, two replicas
 * (down-after 1000 ms, quorum 2, default `fast` timing).
 *
 * The victim is the first daemon that votes for another one (`+vote-for-leader <other id>`): it is
 * killed the moment it publishes the vote, so the failover is under way and its vote (which Sentinel
 * persists before answering) is the last thing it wrote. The two survivors (quorum 2, majority 2 of 3)
 * finish the failover without it.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { expectFailedOver } from "./support/failover-checks.js";
import {
  type Cluster,
  cleanup,
  cmd,
  dumpLogs,
  masterAddr,
  pairs,
  portOf,
  readText,
  requireBinary,
  startCluster,
  startSentinel,
  subscribeEvents,
  waitFor,
  writeReplicated,
} from "./support/processes.js";

let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  c = await startCluster({ replicas: 2, sentinels: 3, downAfter: 1000, quorum: 2 });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

it("a daemon killed during a failover restarts from its rewritten file and adopts the new master", async () => {
  const ids = (await Promise.all(c.sentinels.map((s) => cmd(s.port, "SENTINEL", "MYID")))) as string[];
  const old = c.redis[0]!;
  await writeReplicated(old, "k:restart", "before", 2);

  let victim: { index: number; epoch: number } | undefined;
  const subs = await Promise.all(
    c.sentinels.map((s, i) =>
      subscribeEvents(s.port, "+vote-for-leader", (_channel, payload) => {
        const [leader, epoch] = payload.split(" ");
        if (victim || leader === ids[i]) return;
        s.kill("SIGKILL");
        victim = { index: i, epoch: Number(epoch) };
      }),
    ),
  );
  try {
    old.kill("SIGKILL");
    await old.exited();
    await waitFor(() => victim, 30000);
  } finally {
    for (const s of subs) s.close();
  }
  const { index, epoch } = victim!;
  const dead = c.sentinels[index]!;
  expect(await dead.exited()).toBeNull(); // killed by the signal
  const conf = c.confs[index]!;
  const before = readText(conf);
  // The vote was on disk before the daemon could announce it; the old master is still in the file.
  expect(before).toMatch(new RegExp(`^sentinel current-epoch ${epoch}$`, "m"));
  expect(before).toMatch(new RegExp(`^sentinel leader-epoch mymaster ${epoch}$`, "m"));
  expect(before).toContain(`sentinel myid ${ids[index]}\n`);

  // The two survivors finish the failover.
  const survivors = c.sentinels.filter((_, i) => i !== index);
  const fleet: Cluster = { ...c, sentinels: survivors };
  const { addr } = await expectFailedOver(fleet, old, "k:restart", "before", { live: c.redis.filter((r) => r !== old) });

  // Restarted from its file, the victim learns the new configuration from the hellos.
  const again = await startSentinel("vigil", conf, dead.port);
  c.sentinels[index] = again;
  expect(await cmd(again.port, "SENTINEL", "MYID")).toBe(ids[index]);
  await waitFor(async () => (await masterAddr(again.port)) === addr, 20000);
  const view = pairs(await cmd(again.port, "SENTINEL", "MASTER", "mymaster"));
  expect(view["config-epoch"]).toBe(pairs(await cmd(survivors[0]!.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"]);
  expect(view.flags).toBe("master");
  // ... and rewrites its file with it.
  await waitFor(() => readText(conf).includes(`sentinel monitor mymaster 127.0.0.1 ${portOf(addr)} 2\n`), 10000);
  expect(readText(conf)).toMatch(new RegExp(`^sentinel known-replica mymaster 127\\.0\\.0\\.1 ${old.port}$`, "m"));
  // It did not start a failover of its own against the stale address, and the others still count it.
  await waitFor(async () => {
    for (const s of survivors) {
      const peers = ((await cmd(s.port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map(pairs);
      const p = peers.find((x) => x.runid === ids[index]);
      if (!p || /s_down|disconnected/.test(p.flags ?? "")) return false;
    }
    return true;
  }, 15000);
  expect(again.log()).not.toContain("+try-failover");
  expect(await cmd(again.port, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
});
