import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, it } from "vitest";
import { cleanup, startCluster } from "./support/processes.js";
afterAll(cleanup);
it("real sentinel step 7", async () => {
  const c = await startCluster({ kind: "redis", password: "pw-x1" });
  const r = spawnSync("bash", [resolve(import.meta.dirname, "fixtures/seed/test-failover.sh")], { env: { PATH: "/usr/bin:/bin", SENTINEL_PORT: String(c.sentinelPorts[0]), REDIS_PASSWORD: "pw-x1" }, encoding: "utf8" });
  console.log("EXIT", r.status, r.stdout.split("\n").filter((l) => /Failover completed|New master|Old master|WARNING|persisted|successfully/.test(l)).join(" | "));
}, 120000);
