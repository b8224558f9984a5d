/**
 * The operator's client, `redis-cli`: resolve the master with
 * `redis-cli -p <sentinel> sentinel get-master-addr-by-name mymaster`, then SET/GET on the resolved
 * address, before and after a kill -9 of the master. Real processes on 127.0.0.1: three Vigil
 * daemons, one password-protected master (requirepass/masterauth, `sentinel auth-pass`) and two
 * replicas. Every daemon is asked, as an operator would ask whichever answers.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { currentMaster } from "./support/failover-checks.js";
import { type Cluster, cleanup, dumpLogs, redisCli, requireBinary, startCluster, waitAgreedMaster, waitFor } from "./support/processes.js";

const password = randomBytes(12).toString("hex");
let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  requireBinary("redis-cli");
  c = await startCluster({ replicas: 2, sentinels: 3, password });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

/** `redis-cli -p <sentinel> sentinel get-master-addr-by-name mymaster` → [ip, port]. */
function resolveMaster(sentinelPort: number): [string, string] {
  const lines = redisCli("-h", "127.0.0.1", "-p", String(sentinelPort), "sentinel", "get-master-addr-by-name", "mymaster").trim().split("\n");
  expect(lines).toHaveLength(2);
  return [lines[0]!, lines[1]!];
}

/** redis-cli against the resolved master, authenticated (`--pass`, without the -a warning). */
function onMaster([ip, port]: [string, string], ...args: string[]): string {
  return redisCli("-h", ip, "-p", port, "--user", "default", "--pass", password, "--no-auth-warning", ...args).trim();
}

it("resolves the master through the sentinels, SET/GET before and after a kill -9 of the master", async () => {
  const old = await currentMaster(c);
  for (const port of c.sentinelPorts) expect(resolveMaster(port)).toEqual(["127.0.0.1", String(old.port)]);
  const before = resolveMaster(c.sentinelPorts[0]!);
  expect(onMaster(before, "SET", "cli:before", "1")).toBe("OK");
  expect(onMaster(before, "WAIT", "2", "2000")).toBe("2");
  expect(onMaster(before, "GET", "cli:before")).toBe("1");

  old.kill("SIGKILL");
  await old.exited();
  await waitAgreedMaster(c, old.port);

  // What an operator's script does: ask again until the answer changes, then use it.
  const after = await waitFor(() => {
    const a = resolveMaster(c.sentinelPorts[1]!);
    return a[1] !== String(old.port) ? a : null;
  }, 30000);
  for (const port of c.sentinelPorts) expect(resolveMaster(port)).toEqual(after);
  expect(onMaster(after, "ROLE").split("\n")[0]).toBe("master");
  expect(onMaster(after, "SET", "cli:after", "2")).toBe("OK");
  expect(onMaster(after, "GET", "cli:before")).toBe("1");
  expect(onMaster(after, "GET", "cli:after")).toBe("2");
  // The other replica follows the new master and has the write too.
  const other = c.redis.find((r) => r !== old && String(r.port) !== after[1])!;
  await waitFor(() => redisCli("-h", "127.0.0.1", "-p", String(other.port), "--pass", password, "--no-auth-warning", "GET", "cli:after").trim() === "2", 20000);
});
