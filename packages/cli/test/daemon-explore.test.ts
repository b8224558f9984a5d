import { afterAll, expect, it } from "vitest";
import { killAll, masterAddr, restartRedis, roleOf, startCluster, waitAgreedMaster, waitFor } from "./support/processes.js";

afterAll(killAll);

it("explore", async () => {
  let t = Date.now();
  const lap = (s: string) => { console.log(s, Date.now() - t); t = Date.now(); };
  const c = await startCluster();
  lap("cluster up");
  const m = c.redis[0]!;
  m.kill("SIGKILL");
  await m.exited();
  const addr = await waitAgreedMaster(c, m.port);
  lap(`failover to ${addr}`);
  const np = Number(addr.split(":")[1]);
  await waitFor(async () => {
    const roles = await Promise.all(c.redis.slice(1).map(roleOf));
    return roles.filter((r) => r === "master").length === 1 && roles.filter((r) => r === `slave 127.0.0.1:${np}`).length === 1;
  });
  lap("replicas repointed");
  c.redis[0] = await restartRedis(m);
  lap("restarted");
  await waitFor(async () => (await roleOf(c.redis[0]!)) === `slave 127.0.0.1:${np}`, 40000);
  lap("old master converted");
  console.log(c.sentinels[0]!.log());
  expect(await masterAddr(c.sentinels[1]!.port)).toBe(addr);
});
