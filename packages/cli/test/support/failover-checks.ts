// Assertions shared by the failover tests: what "the cluster failed over" means, checked on the
// Redis servers themselves (ROLE, data) and on every running sentinel.
import { expect } from "vitest";
import { authCmd, type Cluster, cmd, linkStatus, masterAddr, type Proc, pairs, portOf, redisAt, roleOf, waitAgreedMaster, waitFor, writeReplicated } from "./processes.js";

/** The current master according to the first sentinel, as its process. */
export async function currentMaster(c: Cluster): Promise<Proc> {
  const addr = await masterAddr(c.sentinels[0]!.port, c.name);
  if (!addr) throw new Error("no master address");
  return redisAt(c, portOf(addr));
}

/**
 * After `old` failed or was failed over: wait until every sentinel agrees on a new master, then check
 * the servers (the promoted one is a master, every other live replica follows it with its link up),
 * the data written before (`keyBefore` = `valueBefore`), that a write after the failover reaches the
 * replicas, and that every sentinel's `SENTINEL MASTER` shows the new address with one config epoch.
 */
export async function expectFailedOver(
  c: Cluster,
  old: Proc,
  keyBefore: string,
  valueBefore: string,
  opts: { timeoutMs?: number; live?: Proc[] } = {},
): Promise<{ addr: string; promoted: Proc; others: Proc[] }> {
  const addr = await waitAgreedMaster(c, old.port, opts.timeoutMs ?? 30000);
  const promoted = redisAt(c, portOf(addr));
  expect(promoted).not.toBe(old);
  const others = (opts.live ?? c.redis).filter((r) => r !== old && r !== promoted);
  await waitFor(async () => (await roleOf(promoted)) === "master", 10000);
  for (const r of others) await waitFor(async () => (await roleOf(r)) === `slave ${addr}` && (await linkStatus(r)) === "up", 20000);
  expect(await authCmd(promoted.port, promoted.password, "GET", keyBefore)).toBe(valueBefore);
  await writeReplicated(promoted, `${keyBefore}:after`, "written-after-failover", others.length);
  for (const r of others) expect(await authCmd(r.port, r.password, "GET", `${keyBefore}:after`)).toBe("written-after-failover");
  // GET-MASTER-ADDR-BY-NAME names the promoted replica from RECONF_SLAVES on, while the leader's
  // SENTINEL MASTER keeps the old address until the failover ends (Sentinel does the same).
  const views = await waitFor(async () => {
    const vs = await Promise.all(c.sentinels.map(async (s) => pairs(await cmd(s.port, "SENTINEL", "MASTER", c.name))));
    return vs.every((v) => `${v.ip}:${v.port}` === addr && v.flags === "master" && v["config-epoch"] === vs[0]!["config-epoch"]) ? vs : null;
  }, 15000).catch(async () => Promise.all(c.sentinels.map(async (s) => pairs(await cmd(s.port, "SENTINEL", "MASTER", c.name)))));
  for (const v of views) {
    expect(`${v.ip}:${v.port}`).toBe(addr);
    expect(v.flags).toBe("master");
    expect(v["config-epoch"]).toBe(views[0]!["config-epoch"]);
  }
  return { addr, promoted, others };
}

/** Wait until `p` (an old master) is a connected replica of `addr`, holding the data written after. */
export async function expectConvertedToReplica(p: Proc, addr: string, key: string, value: string, timeoutMs = 40000): Promise<void> {
  await waitFor(async () => (await roleOf(p)) === `slave ${addr}` && (await linkStatus(p)) === "up", timeoutMs);
  await waitFor(async () => (await authCmd(p.port, p.password, "GET", key)) === value, 10000);
}
