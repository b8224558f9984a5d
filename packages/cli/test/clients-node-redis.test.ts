/**
 * node-redis v5 `createSentinel` follows a Vigil failover without a restart. Real processes on
 * 127.0.0.1: three Vigil daemons (the client's root nodes), one master, two replicas; the master is
 * killed (-9). node-redis reads SENTINEL SENTINELS/MASTER/REPLICAS and listens on the daemons'
 * pub/sub (`[-+]sdown`, `[-+]odown`, `+slave`, ...). The client writes before and after, and the data
 * is checked through it and on the new master itself.
 */
import { createSentinel } from "redis";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { currentMaster } from "./support/failover-checks.js";
import { authCmd, type Cluster, cleanup, dumpLogs, portOf, requireBinary, startCluster, waitAgreedMaster } from "./support/processes.js";

let c: Cluster;
let close: (() => Promise<unknown>) | undefined;

beforeAll(async () => {
  requireBinary("redis-server");
  c = await startCluster({ replicas: 2, sentinels: 3 });
});

afterAll(async () => {
  await close?.().catch(() => {});
  await cleanup();
});
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 30000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() - start > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

it("createSentinel: writes before, master killed, writes after on the new master without a restart", async () => {
  const sentinel = createSentinel({
    name: "mymaster",
    sentinelRootNodes: c.sentinelPorts.map((port) => ({ host: "127.0.0.1", port })),
  });
  sentinel.on("error", () => {}); // reconnection noise while the master is gone
  await sentinel.connect();
  close = () => sentinel.close();

  const old = await currentMaster(c);
  expect(await sentinel.set("node-redis:before", "1")).toBe("OK");
  expect(await authCmd(old.port, undefined, "GET", "node-redis:before")).toBe("1");
  expect(await sentinel.sendCommand(false, ["WAIT", "2", "2000"])).toBe(2);

  old.kill("SIGKILL");
  await old.exited();
  const addr = await waitAgreedMaster(c, old.port);

  expect(await eventually(() => sentinel.set("node-redis:after", "2"))).toBe("OK");
  expect(await sentinel.get("node-redis:before")).toBe("1");
  expect(await sentinel.get("node-redis:after")).toBe("2");
  // The write went to the new master.
  expect(await authCmd(portOf(addr), undefined, "GET", "node-redis:after")).toBe("2");
  expect(await authCmd(portOf(addr), undefined, "ROLE").then((r) => (r as unknown[])[0])).toBe("master");
});
