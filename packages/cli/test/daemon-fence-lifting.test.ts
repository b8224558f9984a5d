/**
 * Fences never outlive Vigil's watch (issue 12, finding 5). With real redis-server processes and a
 * Vigil daemon: a stale-master fence (a replica that claims master is made to refuse writes with
 * `min-replicas-to-write` ≥ 10^9) and a write fence (`vigil-fence-writes`) are lifted, and the
 * operator's own `min-replicas-*` values come back, on SENTINEL REMOVE, SENTINEL RESET, turning the
 * option off, and a clean shutdown (SIGTERM). `vigil fences <host:port> --lift` lifts a stale-master
 * fence a killed daemon (kill -9) left behind.
 */
import { execFile } from "node:child_process";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  cleanup,
  cmd,
  dumpLogs,
  freePorts,
  killAll,
  linkStatus,
  type Proc,
  sentinelConf,
  startRedis,
  startSentinel,
  tempDir,
  VIGIL_BIN,
  waitFor,
} from "./support/processes.js";

afterEach(killAll);
afterAll(cleanup);

/** `min-replicas-to-write` / `min-replicas-max-lag` of an instance, as `"<toWrite>/<maxLag>"`. */
async function minReplicas(p: Proc): Promise<string> {
  const r = (await cmd(p.port, "CONFIG", "GET", "min-replicas-*")) as string[];
  const get = (n: string) => r[r.indexOf(n) + 1];
  return `${get("min-replicas-to-write")}/${get("min-replicas-max-lag")}`;
}

interface Setup {
  readonly master: Proc;
  readonly replica: Proc;
  readonly sentinel: Proc;
}

/**
 * A master with one replica whose operator values are 3/7 (master: 2/9), watched by one Vigil
 * (quorum 1) with `extra` lines in its file.
 */
async function setup(extra: string[] = []): Promise<Setup> {
  const [mPort, rPort, sPort] = await freePorts(3);
  const master = await startRedis(mPort!, { extra: ["min-replicas-to-write 2", "min-replicas-max-lag 9"] });
  const replica = await startRedis(rPort!, { replicaOf: mPort!, extra: ["min-replicas-to-write 3", "min-replicas-max-lag 7"] });
  await waitFor(async () => (await linkStatus(replica)) === "up", 15000);
  const conf = sentinelConf(tempDir("vigil-fences-"), sPort!, mPort!, { quorum: 1, extra });
  const sentinel = await startSentinel("vigil", conf, sPort!);
  // Replicas are polled every 10 s by default: a claim of master is seen within 200 ms instead.
  await cmd(sPort!, "SENTINEL", "DEBUG", "info-period", "200");
  await waitFor(async () => ((await cmd(sPort!, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).length === 1, 15000);
  return { master, replica, sentinel };
}

/** Make the replica claim master, and wait until Vigil fenced it as a stale master. */
async function staleFence(s: Setup): Promise<void> {
  await cmd(s.replica.port, "REPLICAOF", "NO", "ONE");
  try {
    await waitFor(async () => (await minReplicas(s.replica)) === "1000000003/7", 15000);
  } catch (e) {
    throw new Error(`${String(e)}\n${dumpLogs()}`);
  }
}

/** Wait until `p` has `values` again, and check it keeps them (nothing re-fences it). */
async function expectRestored(p: Proc, values: string): Promise<void> {
  try {
    await waitFor(async () => (await minReplicas(p)) === values, 5000);
  } catch (e) {
    throw new Error(`${String(e)}: ${p.port} has ${await minReplicas(p)}\n${dumpLogs()}`);
  }
  await new Promise((r) => setTimeout(r, 1500));
  expect(await minReplicas(p)).toBe(values);
}

function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL_BIN, ...args], { timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("stale-master fence", () => {
  it("is lifted on SENTINEL REMOVE", async () => {
    const s = await setup();
    await staleFence(s);
    expect(await cmd(s.sentinel.port, "SENTINEL", "REMOVE", "mymaster")).toBe("OK");
    await expectRestored(s.replica, "3/7");
  });

  it("is lifted on SENTINEL RESET", async () => {
    const s = await setup();
    await staleFence(s);
    expect(await cmd(s.sentinel.port, "SENTINEL", "RESET", "mymaster")).toBe(1);
    await expectRestored(s.replica, "3/7");
  });

  it("is lifted when vigil-fence-stale-master is turned off", async () => {
    const s = await setup();
    await staleFence(s);
    expect(await cmd(s.sentinel.port, "SENTINEL", "SET", "mymaster", "vigil-fence-stale-master", "no")).toBe("OK");
    await expectRestored(s.replica, "3/7");
  });

  it("is lifted on a clean shutdown (SIGTERM)", async () => {
    const s = await setup();
    await staleFence(s);
    s.sentinel.kill("SIGTERM");
    expect(await s.sentinel.exited()).toBe(0);
    expect(s.sentinel.log()).toMatch(/Lifted the stale-master fence on 127\.0\.0\.1 \d+: min-replicas-to-write 3 min-replicas-max-lag 7/);
    await expectRestored(s.replica, "3/7");
  });

  it("left by a killed daemon is listed and lifted by `vigil fences <host:port> --lift`", async () => {
    const s = await setup();
    await staleFence(s);
    s.sentinel.kill("SIGKILL");
    await s.sentinel.exited();
    const addr = `127.0.0.1:${s.replica.port}`;
    const listed = await vigil("fences", addr);
    expect(listed).toMatchObject({ code: 0, stderr: "" });
    expect(listed.stdout).toContain(`${addr}: stale-master fence (min-replicas-to-write 1000000003 min-replicas-max-lag 7); operator values min-replicas-to-write 3 min-replicas-max-lag 7`);
    expect(await minReplicas(s.replica)).toBe("1000000003/7");
    const lifted = await vigil("fences", addr, "--lift");
    expect(lifted).toMatchObject({ code: 0, stderr: "" });
    expect(lifted.stdout).toContain(`${addr}: lifted, min-replicas-to-write 3 min-replicas-max-lag 7`);
    expect(await minReplicas(s.replica)).toBe("3/7");
    // Persisted too: the instance's own file no longer carries the fence.
    const again = await vigil("fences", addr);
    expect(again.stdout).toContain(`${addr}: no Vigil fence (min-replicas-to-write 3 min-replicas-max-lag 7)`);
  });
});

describe("write fence (vigil-fence-writes)", () => {
  const FENCED = "1/1";

  async function fenced(): Promise<Setup> {
    const s = await setup(["sentinel vigil-fence-writes mymaster yes"]);
    await waitFor(async () => (await minReplicas(s.master)) === FENCED, 15000);
    return s;
  }

  it("is lifted on SENTINEL REMOVE", async () => {
    const s = await fenced();
    expect(await cmd(s.sentinel.port, "SENTINEL", "REMOVE", "mymaster")).toBe("OK");
    await expectRestored(s.master, "2/9");
  });

  it("is lifted when vigil-fence-writes is turned off", async () => {
    const s = await fenced();
    expect(await cmd(s.sentinel.port, "SENTINEL", "SET", "mymaster", "vigil-fence-writes", "no")).toBe("OK");
    await expectRestored(s.master, "2/9");
  });

  it("is lifted on a clean shutdown (SIGTERM)", async () => {
    const s = await fenced();
    s.sentinel.kill("SIGTERM");
    expect(await s.sentinel.exited()).toBe(0);
    await expectRestored(s.master, "2/9");
  });

  it("stays on the master across SENTINEL RESET, which keeps watching it", async () => {
    const s = await fenced();
    expect(await cmd(s.sentinel.port, "SENTINEL", "RESET", "mymaster")).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(["0/1", FENCED]).toContain(await minReplicas(s.master));
    s.sentinel.kill("SIGTERM");
    await s.sentinel.exited();
    await expectRestored(s.master, "2/9");
  });
});
