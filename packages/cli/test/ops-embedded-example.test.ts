import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cmd, freePort, killAll, startRedis, tempDir, waitFor } from "./support/processes.js";

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
  it("runs the engine in-process and re-points its client on +switch-master", { timeout: 180000 }, async () => {
    const master = await startRedis(await freePort());
    const replica = await startRedis(await freePort(), { replicaOf: master.port });
    const sentinelPort = await freePort();
    const httpPort = await freePort();
    let log = "";
    child = spawn(process.execPath, [SERVICE], {
      env: {
        ...process.env,
        VIGIL_MASTER: `127.0.0.1:${master.port}`,
        VIGIL_QUORUM: "1",
        VIGIL_PORT: String(sentinelPort),
        HTTP_PORT: String(httpPort),
        STATE_FILE: join(tempDir("vigil-embedded-"), "state.json"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    await waitFor(() => log.includes("[app] listening"), 30000);
    const ask = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/`, { signal: AbortSignal.timeout(3000) })).json()) as { master: string; switches: number; hits?: number };
    expect(await ask()).toMatchObject({ master: `127.0.0.1:${master.port}`, switches: 0, hits: 1 });
    // It is a Sentinel too: redis-cli style clients can ask it.
    await waitFor(async () => ((await cmd(sentinelPort, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).length === 1);

    master.kill("SIGKILL");
    const after = await waitFor(async () => {
      const r = await ask().catch(() => undefined);
      return r && r.switches === 1 && typeof r.hits === "number" ? r : undefined;
    }, 60000, 200).catch((e: unknown) => {
      throw new Error(`${String(e)}\n--- service log ---\n${log}`);
    });
    expect(after.master).toBe(`127.0.0.1:${replica.port}`);
    expect(log).toContain(`[vigil] +switch-master mymaster 127.0.0.1 ${master.port} 127.0.0.1 ${replica.port}`);
    expect(log).toContain(`[app] master of mymaster is now 127.0.0.1:${replica.port}; Redis client re-pointed`);
    expect(await cmd(replica.port, "GET", "embedded-service:hits")).toBe(String(after.hits));
  });
});
