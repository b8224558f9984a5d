// examples/embedded-service against real processes: redis-server master and replica, two real
// redis-sentinel (Debian 7.0.15), and the example, whose embedded sentinel makes the third of the
// fleet. The master is killed; the fleet fails over (the embedded sentinel leads or follows), and the
// example's typed +switch-master listener, its async iterator and its ioredis client all follow.
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cmd, freePort, killAll, masterAddr, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";

const SERVICE = resolve(import.meta.dirname, "../../../examples/embedded-service/service.mjs");
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }
  await killAll();
});

describe("examples/embedded-service (real processes)", () => {
  it("joins a fleet of two redis-sentinels, fails over with them, and its listener, iterator and client follow", { timeout: 180000 }, async () => {
    const master = await startRedis(await freePort());
    const replica = await startRedis(await freePort(), { replicaOf: master.port });
    const dir = tempDir("vigil-embedded-");
    const sentinelPorts = [await freePort(), await freePort()];
    for (const p of sentinelPorts) await startSentinel("redis", sentinelConf(dir, p, master.port, { quorum: 2 }), p);
    const sentinelPort = await freePort();
    const httpPort = await freePort();
    let log = "";
    child = spawn(process.execPath, [SERVICE], {
      env: {
        ...process.env,
        VIGIL_MASTER: `127.0.0.1:${master.port}`,
        VIGIL_QUORUM: "2",
        VIGIL_PORT: String(sentinelPort),
        HTTP_PORT: String(httpPort),
        STATE_FILE: join(dir, "state.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    await waitFor(() => log.includes("[app] listening"), 30000);
    const ask = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/`, { signal: AbortSignal.timeout(3000) })).json()) as { master: string; switches: number; hits?: number };
    expect(await ask()).toMatchObject({ master: `127.0.0.1:${master.port}`, switches: 0, hits: 1 });
    // It is a Sentinel of the fleet: it found the replica and both redis-sentinels, and they found it.
    await waitFor(async () => ((await cmd(sentinelPort, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).length === 1);
    await waitFor(async () => ((await cmd(sentinelPort, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).length === 2, 30000);
    for (const p of sentinelPorts) await waitFor(async () => ((await cmd(p, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).length === 2, 30000);

    master.kill("SIGKILL");
    const after = await waitFor(
      async () => {
        const r = await ask().catch(() => undefined);
        return r && r.switches === 1 && typeof r.hits === "number" ? r : undefined;
      },
      60000,
      200,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n--- service log ---\n${log}`);
    });
    expect(after.master).toBe(`127.0.0.1:${replica.port}`);
    // The typed listener and the async iterator both saw the switch.
    expect(log).toContain(`[app] master of mymaster moved from 127.0.0.1:${master.port} to 127.0.0.1:${replica.port}`);
    expect(log).toContain(`[vigil] +switch-master mymaster 127.0.0.1 ${master.port} 127.0.0.1 ${replica.port}`);
    // The redis-sentinels agree, and the client's writes went to the new master.
    for (const p of sentinelPorts) await waitFor(async () => (await masterAddr(p)) === `127.0.0.1:${replica.port}`, 30000);
    expect(await cmd(replica.port, "GET", "embedded-service:hits")).toBe(String(after.hits));
    expect(log).not.toContain("Unhandled error event");
  });
});
