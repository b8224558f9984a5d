/**
 * redis-py (Debian's python3-redis, run with /usr/bin/python3) follows a Vigil failover without a
 * restart: `redis.sentinel.Sentinel` + `master_for` (which read `SENTINEL MASTERS`), writing in a
 * loop with retries while the master is killed (-9). Real processes on 127.0.0.1: three Vigil
 * daemons, one master, two replicas. The script is fixtures/clients/redis_py_failover.py; the data
 * it wrote before and after is checked by the script and on the new master itself.
 */

import { existsSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { currentMaster } from "./support/failover-checks.js";
import { authCmd, type Cluster, cleanup, dumpLogs, portOf, requireBinary, startCluster, waitAgreedMaster, waitFor } from "./support/processes.js";
import { PYTHON, runRedisPy } from "./support/redis-py.js";

let c: Cluster;

beforeAll(async () => {
  requireBinary("redis-server");
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is required for this test (apt-get install python3 python3-redis)`);
  c = await startCluster({ replicas: 2, sentinels: 3 });
});

afterAll(cleanup);
beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(dumpLogs())));

it("Sentinel/master_for: writes in a loop with retries through a kill -9 of the master", async () => {
  const old = await currentMaster(c);
  const py = runRedisPy(c.sentinelPorts);
  try {
    await waitFor(() => py.out().includes("BEFORE ") || py.proc.exitCode !== null, 20000);
    expect(py.out(), py.err()).toContain(`BEFORE 127.0.0.1:${old.port}\n`);

    old.kill("SIGKILL");
    await old.exited();
    const addr = await waitAgreedMaster(c, old.port);

    expect(await py.exited(60000), `${py.out()}\n${py.err()}`).toBe(0);
    const line = /^AFTER (.*)$/m.exec(py.out())?.[1];
    expect(line, py.out()).toBeDefined();
    const r = JSON.parse(line!) as { initial: string; master: string; before: string; after: string; last: number; lastValue: string; writes: number; retries: number };
    expect(r.initial).toBe(`127.0.0.1:${old.port}`);
    expect(r.master).toBe(addr);
    expect([r.before, r.after, r.lastValue]).toEqual(["1", "2", String(r.last)]);
    expect(r.writes).toBe(r.last);
    // What the script wrote after the failover is on the new master.
    expect(await authCmd(portOf(addr), undefined, "GET", "py:after")).toBe("2");
    expect(await authCmd(portOf(addr), undefined, "GET", `py:n:${r.last}`)).toBe(String(r.last));
    expect(await authCmd(portOf(addr), undefined, "GET", "py:before")).toBe("1");
  } finally {
    if (py.proc.exitCode === null) py.proc.kill("SIGKILL");
  }
});
