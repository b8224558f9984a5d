import { afterAll, it } from "vitest";
import { dumpLogs, killAll, portOf, redisAt, restartRedis, roleOf, startCluster, waitAgreedMaster, waitFor } from "./support/processes.js";
afterAll(killAll);
it("repro", async () => {
  const c = await startCluster({ sentinelExtra: ["loglevel debug"] });
  const old = c.redis[0]!;
  old.kill("SIGKILL"); await old.exited();
  const addr = await waitAgreedMaster(c, old.port);
  const back = await restartRedis(old); c.redis[0] = back;
  await waitFor(async () => (await roleOf(back)) === `slave ${addr}`, 40000);
  const m = redisAt(c, portOf(addr));
  const t = Date.now();
  console.log("SIGSTOP at", new Date().toISOString());
  m.kill("SIGSTOP");
  try { await waitAgreedMaster(c, m.port, 30000); console.log("failover took", Date.now() - t); } catch (e) { console.log("FAILED", Date.now() - t); }
  m.kill("SIGCONT");
  console.log(dumpLogs(100000).split("\n").filter((l) => !/redis-server|^\d+:[CSM] /.test(l)).join("\n"));
}, 120000);
