/**
 * ioredis 6 in Sentinel mode (`sentinels: [...]`, `name: 'mymaster'`) follows Vigil failovers
 * without a restart. Real processes on 127.0.0.1: three Vigil daemons, one master, two replicas.
 *   1. default options, master killed (-9): the connection drops, ioredis asks the sentinels again;
 *   2. `failoverDetector: true`, master frozen (SIGSTOP): its connection does not drop, the client
 *      moves because the detector hears `+switch-master` from the daemons.
 * Each client writes before and after its failover and the data is checked, through the client and
 * on the new master itself.
 */
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { currentMaster } from "./support/failover-checks.js";
import { authCmd, type Cluster, cleanup, dumpLogs, portOf, requireBinary, roleOf, startCluster, waitAgreedMaster, waitFor } from "./support/processes.js";

let c: Cluster;
const clients: Redis[] = [];

beforeAll(async () => {
  requireBinary("redis-server");
  c = await startCluster({ replicas: 2, sentinels: 3 });
});

afterAll(async () => {
  for (const r of clients) r.disconnect();
  await cleanup();
});
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

function sentinelClient(extra: Partial<RedisOptions> = {}): Redis {
  const r = new Redis({ sentinels: c.sentinelPorts.map((port) => ({ host: "127.0.0.1", port })), name: "mymaster", ...extra });
  r.on("error", () => {}); // reconnection noise while the master is gone
  clients.push(r);
  return r;
}

/** The address the client's current connection goes to. */
function peer(r: Redis): string {
  return `${r.stream?.remoteAddress}:${r.stream?.remotePort}`;
}

/** Retry `fn` until it succeeds (the client's own retries may give up while no master exists). */
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

it("default options: writes before, master killed, writes after on the new master without a restart", async () => {
  const r = sentinelClient();
  const old = await currentMaster(c);
  expect(await r.set("ioredis:before", "1")).toBe("OK");
  expect(peer(r)).toBe(`127.0.0.1:${old.port}`);
  expect(await r.wait(2, 2000)).toBe(2);

  old.kill("SIGKILL");
  await old.exited();
  const addr = await waitAgreedMaster(c, old.port);

  expect(await eventually(() => r.set("ioredis:after", "2"))).toBe("OK");
  expect(peer(r)).toBe(addr);
  expect(await r.get("ioredis:before")).toBe("1");
  expect(await r.get("ioredis:after")).toBe("2");
  expect(await authCmd(portOf(addr), undefined, "GET", "ioredis:after")).toBe("2");
  expect(await roleOf(c.redis.find((p) => p.port === portOf(addr))!)).toBe("master");
});

it("failoverDetector: the master freezes (SIGSTOP), the client moves on +switch-master", async () => {
  const r = sentinelClient({ failoverDetector: true });
  const old = await currentMaster(c);
  expect(await r.set("detector:before", "1")).toBe("OK");
  expect(peer(r)).toBe(`127.0.0.1:${old.port}`);
  expect(await r.wait(1, 2000)).toBe(1);

  old.kill("SIGSTOP");
  try {
    const addr = await waitAgreedMaster(c, old.port);
    // The frozen master still holds the client's connection open: only the detector moves it.
    await waitFor(() => peer(r) === addr, 20000);
    expect(await eventually(() => r.set("detector:after", "2"))).toBe("OK");
    expect(await r.get("detector:before")).toBe("1");
    expect(await r.get("detector:after")).toBe("2");
    expect(await authCmd(portOf(addr), undefined, "GET", "detector:after")).toBe("2");
  } finally {
    old.kill("SIGCONT");
  }
});
