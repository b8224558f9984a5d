/**
 * Automatic failover after kill -9, with real processes on 127.0.0.1: three Vigil daemons watch one
 * master and two replicas (down-after 1000 ms, quorum 2, default `fast` timing). The tests share one
 * cluster and run in order, each starting from the topology the previous one left:
 *   1. kill -9 of the master → promotion, re-pointing, agreement, data kept, old master converted;
 *   2. every daemon rewrote its file (myid, epochs, new master, known-replica, known-sentinel lines);
 *   3. a real `redis-sentinel` starts from a file Vigil rewrote and joins the Vigil fleet.
 * redis-server and redis-sentinel are mandatory: a missing binary fails the file, never skips it.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { expectConvertedToReplica, expectFailedOver } from "./support/failover-checks.js";
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
  restartRedis,
  roleOf,
  startCluster,
  startSentinel,
  waitAgreedMaster,
  waitDiscovered,
  waitFor,
  writeReplicated,
} from "./support/processes.js";

let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  requireBinary("redis-sentinel");
  c = await startCluster({ replicas: 2, sentinels: 3, downAfter: 1000, quorum: 2 });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

it("kill -9 of the master: a replica is promoted, the other re-pointed, the old master returns as a replica", async () => {
  const old = c.redis[0]!;
  await writeReplicated(old, "k:kill", "before-kill", 2);
  old.kill("SIGKILL");
  await old.exited();
  const { addr, promoted } = await expectFailedOver(c, old, "k:kill", "before-kill");

  // The daemons list the dead master as a (down) replica of the new one.
  await waitFor(async () => {
    for (const s of c.sentinels) {
      const rs = ((await cmd(s.port, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).map(pairs);
      const ports = rs.map((r) => Number(r.port)).sort();
      if (ports.join() !== c.redis.filter((r) => r !== promoted).map((r) => r.port).sort().join()) return false;
      if (!rs.find((r) => Number(r.port) === old.port)?.flags.includes("s_down")) return false;
    }
    return true;
  }, 10000);

  // It comes back with its old config (a master, empty): the daemons turn it into a replica.
  const back = await restartRedis(old);
  c.redis[c.redis.indexOf(old)] = back;
  expect(await roleOf(back)).toBe("master");
  await expectConvertedToReplica(back, addr, "k:kill:after", "written-after-failover");
  expect(await authCmdGet(back.port, "k:kill")).toBe("before-kill");
  expect(await waitAgreedMaster(c)).toBe(addr);
  await waitDiscovered(c);
});

it("every daemon rewrote its config file: myid, epochs, new master, known replicas and sentinels", async () => {
  const addr = await waitAgreedMaster(c);
  const ids = (await Promise.all(c.sentinels.map((s) => cmd(s.port, "SENTINEL", "MYID")))) as string[];
  const epoch = pairs(await cmd(c.sentinels[0]!.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"];
  expect(Number(epoch)).toBeGreaterThanOrEqual(1);
  const replicaPorts = c.redis.filter((r) => r.port !== portOf(addr)).map((r) => r.port).sort();
  for (let i = 0; i < c.sentinels.length; i++) {
    // The rewrite after the switch is synchronous, but the old master's return may still be in flight.
    const text = await waitFor(() => {
      const t = readText(c.confs[i]!);
      const known = [...t.matchAll(/^sentinel known-replica mymaster 127\.0\.0\.1 (\d+)$/gm)].map((m) => Number(m[1])).sort();
      return t.includes(`sentinel monitor mymaster ${addr.replace(":", " ")} 2\n`) && known.join() === replicaPorts.join() ? t : null;
    }, 10000);
    const lines = text.split("\n");
    // The operator's lines keep their place and values; dir is written absolute and quoted, as Redis does.
    expect(lines.slice(0, 4)).toEqual([`port ${c.sentinelPorts[i]}`, "bind 127.0.0.1", `dir "${c.dir}"`, `sentinel monitor mymaster ${addr.replace(":", " ")} 2`]);
    expect(text).toContain("\nsentinel down-after-milliseconds mymaster 1000\n");
    expect(text).toContain("\nsentinel failover-timeout mymaster 3000\n");
    // The state Sentinel persists.
    expect(text).toMatch(new RegExp(`^sentinel myid ${ids[i]}$`, "m"));
    expect(text).toMatch(new RegExp(`^sentinel config-epoch mymaster ${epoch}$`, "m"));
    expect(text).toMatch(/^sentinel current-epoch [1-9]\d*$/m);
    expect(text).toMatch(/^sentinel leader-epoch mymaster \d+$/m);
    const knownSentinels = [...text.matchAll(/^sentinel known-sentinel mymaster 127\.0\.0\.1 (\d+) ([0-9a-f]{40})$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(knownSentinels).toEqual(c.sentinelPorts.map((p, j) => `${p} ${ids[j]}`).filter((_, j) => j !== i).sort());
  }
});

it("a real redis-sentinel starts from a file Vigil rewrote and joins the fleet", async () => {
  const addr = await waitAgreedMaster(c);
  const i = 2;
  const vigil = c.sentinels[i]!;
  const id = await cmd(vigil.port, "SENTINEL", "MYID");
  vigil.kill("SIGTERM");
  expect(await vigil.exited()).toBe(0);
  const real = await startSentinel("redis", c.confs[i]!, vigil.port);
  c.sentinels[i] = real;
  expect(await cmd(real.port, "SENTINEL", "MYID")).toBe(id);
  expect(await masterAddr(real.port)).toBe(addr);
  const m = pairs(await cmd(real.port, "SENTINEL", "MASTER", "mymaster"));
  expect(m["config-epoch"]).toBe(pairs(await cmd(c.sentinels[0]!.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"]);
  expect([m.quorum, m["down-after-milliseconds"], m["failover-timeout"]]).toEqual(["2", "1000", "3000"]);
  // It knows the replicas and the two Vigil peers from the file; they see it (same run id) again.
  await waitDiscovered(c);
  expect(await cmd(real.port, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
  const seen = ((await cmd(c.sentinels[0]!.port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map(pairs);
  expect(seen.map((s) => s.runid)).toContain(id);
});

async function authCmdGet(port: number, key: string): Promise<unknown> {
  return cmd(port, "GET", key);
}
