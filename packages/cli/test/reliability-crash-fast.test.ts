/**
 * Crash detection (`vigil-crash-down-after`) with real processes on 127.0.0.1: three Vigil daemons,
 * down-after 30000 ms (so a slow path is obvious), crash-down-after set with SENTINEL SET. The tests
 * share one cluster and run in order:
 *   1. SHUTDOWN + immediate restart of the master: refused for less than crash-down-after → no SDOWN;
 *   2. a restart with a dataset to load (refused briefly, then -LOADING) → no SDOWN;
 *   3. kill -9 of the master → every daemon switched in well under down-after, cause `crash`.
 * redis-server is mandatory: a missing binary fails the file, never skips it.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { expectFailedOver } from "./support/failover-checks.js";
import { authCmd, type Cluster, cleanup, cmd, dumpLogs, masterAddr, type Proc, redisCli, requireBinary, restartRedis, sleep, startCluster, subscribeEvents, waitFor } from "./support/processes.js";

const DOWN_AFTER = 30_000;
const CRASH_DOWN_AFTER = 500;

let c: Cluster;
const events: { at: number; sentinel: number; channel: string; payload: string }[] = [];
const subs: { close(): void }[] = [];

beforeAll(async () => {
  requireBinary("redis-server");
  c = await startCluster({ replicas: 1, sentinels: 3, downAfter: DOWN_AFTER, quorum: 2 });
  for (const [i, s] of c.sentinels.entries()) {
    expect(await cmd(s.port, "SENTINEL", "SET", "mymaster", "vigil-crash-down-after", CRASH_DOWN_AFTER)).toBe("OK");
    subs.push(await subscribeEvents(s.port, "*", (channel, payload) => events.push({ at: Date.now(), sentinel: i, channel, payload })));
  }
});

afterAll(async () => {
  for (const s of subs) s.close();
  await cleanup();
});
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

const masterDownEvents = (since: number) => events.filter((e) => e.at >= since && (e.channel === "+sdown" || e.channel === "+odown") && e.payload.startsWith("master "));

/** Replace `old` in the cluster with its restarted process. */
async function restartInPlace(old: Proc): Promise<Proc> {
  const back = await restartRedis(old);
  c.redis[c.redis.indexOf(old)] = back;
  return back;
}

it("SHUTDOWN + immediate restart of the master is not failed over", async () => {
  const old = c.redis[0]!;
  // The restarted server accepts DEBUG (the next test fills it with DEBUG POPULATE).
  appendFileSync(join(old.dir, "redis.conf"), "enable-debug-command yes\n");
  const t0 = Date.now();
  await authCmd(old.port, undefined, "SHUTDOWN", "NOSAVE").catch(() => {});
  await old.exited();
  await restartInPlace(old);
  await sleep(3000);
  expect(masterDownEvents(t0)).toEqual([]);
  for (const s of c.sentinels) expect(await masterAddr(s.port)).toBe(`127.0.0.1:${old.port}`);
});

it("a restart that loads a dataset (-LOADING for a while) is not failed over", async () => {
  const old = c.redis[0]!;
  // About a second of loading on this machine: enough -LOADING replies to matter.
  // redis-cli: these take longer than the short-lived test client's 3 s timeout on a loaded host.
  redisCli("-p", String(old.port), "DEBUG", "POPULATE", "400000", "k", "100");
  redisCli("-p", String(old.port), "SAVE");
  await authCmd(old.port, undefined, "SHUTDOWN", "NOSAVE").catch(() => {});
  await old.exited();
  const t0 = Date.now();
  const back = await restartInPlace(old);
  const loadedIn = Date.now() - t0;
  expect(await authCmd(back.port, undefined, "DBSIZE")).toBeGreaterThanOrEqual(400000);
  await sleep(3000);
  expect(masterDownEvents(t0), `loaded in ${loadedIn} ms`).toEqual([]);
  for (const s of c.sentinels) expect(await masterAddr(s.port)).toBe(`127.0.0.1:${old.port}`);
  // Leave an empty master for the next test (a quick full sync).
  redisCli("-p", String(back.port), "FLUSHALL");
});

it("kill -9 of the master fails over in well under down-after, each daemon naming the crash", async () => {
  const old = c.redis[0]!;
  await waitFor(async () => (await authCmd(old.port, undefined, "WAIT", 1, 1000)) === 1, 15000);
  await authCmd(old.port, undefined, "SET", "k:crash", "before");
  await waitFor(async () => (await authCmd(old.port, undefined, "WAIT", 1, 1000)) === 1, 15000);
  const t0 = Date.now();
  old.kill("SIGKILL");
  await old.exited();
  // Every daemon names the promoted replica long before down-after (30 s) could have elapsed.
  await waitFor(async () => (await Promise.all(c.sentinels.map((s) => masterAddr(s.port)))).every((a) => a !== `127.0.0.1:${old.port}`), 10_000, 10);
  const took = Date.now() - t0;
  console.log(`kill -9 → every daemon switched: ${took} ms (down-after ${DOWN_AFTER}, crash-down-after ${CRASH_DOWN_AFTER})`);
  expect(took).toBeLessThan(5000);
  await expectFailedOver(c, old, "k:crash", "before", { timeoutMs: 10_000 });
  for (let i = 0; i < 3; i++) {
    const crash = events.find((e) => e.sentinel === i && e.channel === "+crash-sdown" && e.payload.startsWith(`master mymaster 127.0.0.1 ${old.port}`));
    expect(crash, `sentinel ${i}: +crash-sdown`).toBeDefined();
  }
  const explain = (await cmd(c.sentinels[0]!.port, "SENTINEL", "VIGIL-EXPLAIN", "mymaster")) as unknown;
  expect(JSON.stringify(explain)).not.toContain("Crash detection (vigil-crash-down-after) is off");
});
