/**
 * Automatic failover with real processes on 127.0.0.1: three Vigil daemons watch one master and two
 * replicas (down-after 1000 ms, quorum 2, default `fast` timing). The tests share one cluster and run
 * in order, each starting from the topology the previous one left:
 *   1. kill -9 of the master → promotion, re-pointing, agreement, data kept, old master converted;
 *   2. every daemon rewrote its file (myid, epochs, new master, known-replica, known-sentinel);
 *   3. SIGSTOP of the (new) master → same, and after SIGCONT it ends up a replica;
 *   4. a real `redis-sentinel` starts from a file Vigil rewrote and joins the Vigil fleet.
 * redis-server and redis-sentinel are mandatory: a missing binary fails the file, never skips it.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  authCmd,
  type Cluster,
  cmd,
  dumpLogs,
  killAll,
  linkStatus,
  masterAddr,
  type Proc,
  pairs,
  portOf,
  readText,
  redisAt,
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

afterAll(killAll);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

/** The current master according to the first daemon, as its process. */
async function currentMaster(): Promise<Proc> {
  const addr = await masterAddr(c.sentinels[0]!.port);
  if (!addr) throw new Error("no master address");
  return redisAt(c, portOf(addr));
}

/**
 * After `old` failed: wait until all daemons agree on a new master, then check the servers themselves
 * (ROLE), the data written before, and that a write after the failover reaches the other replica.
 */
async function expectFailedOver(old: Proc, keyBefore: string, valueBefore: string): Promise<{ addr: string; promoted: Proc; other: Proc }> {
  const addr = await waitAgreedMaster(c, old.port, 20000);
  const promoted = redisAt(c, portOf(addr));
  expect(promoted).not.toBe(old);
  const other = c.redis.find((r) => r !== old && r !== promoted)!;
  await waitFor(async () => (await roleOf(promoted)) === "master", 10000);
  await waitFor(async () => (await roleOf(other)) === `slave ${addr}` && (await linkStatus(other)) === "up", 15000);
  expect(await authCmd(promoted.port, undefined, "GET", keyBefore)).toBe(valueBefore);
  await writeReplicated(promoted, `${keyBefore}:after`, "written-after-failover", 1);
  expect(await authCmd(other.port, undefined, "GET", `${keyBefore}:after`)).toBe("written-after-failover");
  // Every daemon's SENTINEL MASTER shows the new address, a healthy master and the same config epoch.
  const views = await Promise.all(c.sentinels.map(async (s) => pairs(await cmd(s.port, "SENTINEL", "MASTER", "mymaster"))));
  for (const v of views) {
    expect(`${v.ip}:${v.port}`).toBe(addr);
    expect(v.flags).toBe("master");
    expect(v["config-epoch"]).toBe(views[0]!["config-epoch"]);
  }
  return { addr, promoted, other };
}

it("kill -9 of the master: a replica is promoted, the other re-pointed, the old master returns as a replica", async () => {
  const old = c.redis[0]!;
  await writeReplicated(old, "k:kill", "before-kill", 2);
  const t0 = Date.now();
  old.kill("SIGKILL");
  await old.exited();
  const { addr, promoted } = await expectFailedOver(old, "k:kill", "before-kill");
  // down-after is 1000 ms; the fast profile promotes within a couple of seconds (generous bound for loaded CI).
  expect(Date.now() - t0).toBeLessThan(15000);

  // The daemons list the dead master as a replica of the new one.
  const replicas = ((await cmd(c.sentinels[0]!.port, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).map(pairs);
  expect(replicas.map((r) => Number(r.port)).sort()).toEqual(c.redis.filter((r) => r !== promoted).map((r) => r.port).sort());
  await waitFor(async () => {
    const rs = ((await cmd(c.sentinels[0]!.port, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).map(pairs);
    return rs.find((r) => Number(r.port) === old.port)?.flags.includes("s_down");
  }, 10000);

  // It comes back with its old config (still a master, empty): the daemons convert it.
  const back = await restartRedis(old);
  c.redis[c.redis.indexOf(old)] = back;
  expect(await roleOf(back)).toBe("master");
  await waitFor(async () => (await roleOf(back)) === `slave ${addr}` && (await linkStatus(back)) === "up", 40000);
  expect(await authCmd(back.port, undefined, "GET", "k:kill:after")).toBe("written-after-failover");
  expect(await waitAgreedMaster(c)).toBe(addr);
  await waitDiscovered(c);
});

it("every daemon rewrote its config file: myid, epochs, new master, known replicas and sentinels", async () => {
  const addr = await waitAgreedMaster(c);
  const ids = (await Promise.all(c.sentinels.map((s) => cmd(s.port, "SENTINEL", "MYID")))) as string[];
  const epoch = pairs(await cmd(c.sentinels[0]!.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"];
  expect(Number(epoch)).toBeGreaterThanOrEqual(1);
  for (let i = 0; i < c.sentinels.length; i++) {
    const port = c.sentinelPorts[i]!;
    const text = await waitFor(() => {
      const t = readText(c.confs[i]!);
      return t.includes(`sentinel monitor mymaster ${addr.replace(":", " ")} 2`) && /^sentinel known-replica mymaster /m.test(t) ? t : null;
    }, 10000);
    const lines = text.split("\n");
    // The operator's lines keep their place at the top.
    expect(lines[0]).toBe(`port ${port}`);
    expect(lines[1]).toBe("bind 127.0.0.1");
    expect(text).toContain("sentinel down-after-milliseconds mymaster 1000");
    expect(text).toMatch(new RegExp(`^sentinel myid ${ids[i]}$`, "m"));
    expect(text).toMatch(new RegExp(`^sentinel config-epoch mymaster ${epoch}$`, "m"));
    expect(text).toMatch(/^sentinel current-epoch [1-9]\d*$/m);
    const knownReplicas = [...text.matchAll(/^sentinel known-replica mymaster 127\.0\.0\.1 (\d+)$/gm)].map((m) => Number(m[1])).sort();
    expect(knownReplicas).toEqual(c.redis.filter((r) => r.port !== portOf(addr)).map((r) => r.port).sort());
    const knownSentinels = [...text.matchAll(/^sentinel known-sentinel mymaster 127\.0\.0\.1 (\d+) ([0-9a-f]{40})$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(knownSentinels).toEqual(c.sentinelPorts.map((p, j) => `${p} ${ids[j]}`).filter((_, j) => j !== i).sort());
  }
});

it("SIGSTOP of the master: a replica is promoted; after SIGCONT the old master ends up a replica", async () => {
  const old = await currentMaster();
  await writeReplicated(old, "k:stop", "before-stop", 2);
  old.kill("SIGSTOP");
  let addr: string;
  try {
    ({ addr } = await expectFailedOver(old, "k:stop", "before-stop"));
  } finally {
    old.kill("SIGCONT");
  }
  // Woken up it still believes it is the master; the daemons turn it into a replica of the new one.
  await waitFor(async () => (await roleOf(old)) === `slave ${addr}` && (await linkStatus(old)) === "up", 40000);
  expect(await authCmd(old.port, undefined, "GET", "k:stop:after")).toBe("written-after-failover");
  expect(await waitAgreedMaster(c)).toBe(addr);
  await waitDiscovered(c);
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
  expect(m.quorum).toBe("2");
  expect(m["down-after-milliseconds"]).toBe("1000");
  // It knows the replicas and the two Vigil peers from the file; they see it (same run id) again.
  await waitDiscovered(c);
  expect(await cmd(real.port, "SENTINEL", "CKQUORUM", "mymaster")).toBe("OK 3 usable Sentinels. Quorum and failover authorization can be reached");
  const seen = ((await cmd(c.sentinels[0]!.port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map(pairs);
  expect(seen.map((s) => s.runid)).toContain(id);
});
