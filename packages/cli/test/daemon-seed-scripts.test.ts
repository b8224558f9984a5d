/**
 * The seed guide's operator scripts, run unchanged except for addresses, ports and password
 * (fixtures/seed/*.sh, each with a header saying what was adapted), with bash against a Vigil
 * cluster on 127.0.0.1: three daemons, a password-protected master (requirepass/masterauth,
 * `sentinel auth-pass`) and two replicas. verify-cluster.sh on the healthy cluster, then
 * test-failover.sh (manual `SENTINEL FAILOVER`, data check), then verify-cluster.sh again.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { expectConvertedToReplica } from "./support/failover-checks.js";
import { type Cluster, cleanup, dumpLogs, portOf, redisAt, requireBinary, startCluster, waitAgreedMaster, waitDiscovered } from "./support/processes.js";

const SEED = resolve(import.meta.dirname, "fixtures/seed");
const password = randomBytes(12).toString("hex");
let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  requireBinary("redis-cli");
  requireBinary("bash");
  c = await startCluster({ replicas: 2, sentinels: 3, password });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

/** Run a seed script with bash against the test's first sentinel; exit code and stdout. */
async function runScript(name: string, timeoutMs = 60000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const path = resolve(SEED, name);
  // Belt and braces: these scripts must only ever talk to the loopback cluster of this test.
  const code = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => !l.trimStart().startsWith("#"));
  expect(code.join("\n")).not.toMatch(/192\.168\.|\blocalhost\b|\b26379\b/);
  const child = spawn(requireBinary("bash"), [path], {
    env: { PATH: "/usr/bin:/bin:/usr/local/bin", SENTINEL_PORT: String(c.sentinelPorts[0]), REDIS_PASSWORD: password },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exit = await new Promise<number | null>((ok) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      ok(code);
    });
  });
  if (exit !== 0) console.error(`${name} exited ${exit}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
  return { code: exit, stdout, stderr };
}

/** The lines of a section of verify-cluster.sh's output (`=== title ===` up to the next blank line). */
function section(stdout: string, title: string): string[] {
  const start = stdout.indexOf(`=== ${title} ===\n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const rest = stdout.slice(start + title.length + 9);
  return rest.slice(0, rest.search(/\n\n|$/)).split("\n");
}

/** Every value of `name` in flattened field/value lines. */
function field(lines: string[], name: string): string[] {
  return lines.flatMap((l, i) => (l === name && i + 1 < lines.length ? [lines[i + 1]!] : []));
}

it("verify-cluster.sh reports the healthy cluster", async () => {
  const { code, stdout } = await runScript("verify-cluster.sh");
  expect(code).toBe(0);
  expect(section(stdout, "Current Master Address")).toEqual(["127.0.0.1", String(c.redis[0]!.port)]);
  expect(section(stdout, "Quorum Check")).toEqual(["OK 3 usable Sentinels. Quorum and failover authorization can be reached"]);
  // Raw redis-cli output of SENTINEL MASTER / REPLICAS / SENTINELS: flat field/value lines.
  const master = section(stdout, "Sentinel Master Info");
  expect(master.slice(0, 2)).toEqual(["name", "mymaster"]);
  expect(master[master.indexOf("flags") + 1]).toBe("master");
  expect(master[master.indexOf("num-slaves") + 1]).toBe("2");
  expect(master[master.indexOf("num-other-sentinels") + 1]).toBe("2");
  expect(field(section(stdout, "Replica Information"), "flags")).toEqual(["slave", "slave"]);
  expect(field(section(stdout, "Sentinel Peers"), "flags")).toEqual(["sentinel", "sentinel"]);
  const replication = section(stdout, "Master Replication Status").join("\n");
  expect(replication).toContain("role:master");
  expect(replication).toContain("connected_slaves:2");
});

it("test-failover.sh fails over with SENTINEL FAILOVER and finds the data on the new master", async () => {
  const initial = `127.0.0.1:${c.redis[0]!.port}`;
  const { code, stdout } = await runScript("test-failover.sh");
  expect(code).toBe(0);
  expect(stdout).toContain(`Current master: ${initial}\n`);
  // The script prints a progress dot per poll before the line when the switch takes more than one.
  expect(stdout).toMatch(/\n\.*Failover completed in \d+ seconds\n/);
  const newMaster = /\nNew master: (127\.0\.0\.1:\d+)\n/.exec(stdout)?.[1];
  expect(newMaster).toBeDefined();
  expect(newMaster).not.toBe(initial);
  expect(stdout).toContain("\nData persisted correctly\n");
  expect(stdout).toContain("\nFailover test completed successfully!\n");
  expect(stdout.match(/^OK 3 usable Sentinels\. Quorum and failover authorization can be reached$/gm)).toHaveLength(2);
  expect(stdout).not.toContain("ERROR");
  // Step 7 only warns: it looks after 5 s, Sentinel converts the old master after 8 s (4 × publish period).
  console.log(`test-failover.sh step 7: ${/\n(Old master is now a replica \(correct\)|WARNING: Old master role is: .*)\n/.exec(stdout)?.[1]}`);

  expect(await waitAgreedMaster(c)).toBe(newMaster);
  await expectConvertedToReplica(c.redis[0]!, newMaster!, "failover_test_key", "value_before_failover");
  expect(redisAt(c, portOf(newMaster!))).not.toBe(c.redis[0]);
  await waitDiscovered(c);
});

it("verify-cluster.sh then reports the new master with both replicas", async () => {
  const addr = await waitAgreedMaster(c);
  const { code, stdout } = await runScript("verify-cluster.sh");
  expect(code).toBe(0);
  expect(section(stdout, "Current Master Address")).toEqual(["127.0.0.1", String(portOf(addr))]);
  expect(section(stdout, "Quorum Check")).toEqual(["OK 3 usable Sentinels. Quorum and failover authorization can be reached"]);
  const replication = section(stdout, "Master Replication Status").join("\n");
  expect(replication).toContain("role:master");
  expect(replication).toContain("connected_slaves:2");
});
