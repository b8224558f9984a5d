import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cmd, freePort, killAll, sentinelConf, startRedis, startSentinel, tempDir, VIGIL_BIN, waitFor } from "./support/processes.js";

const exec = promisify(execFile);
afterAll(killAll);

/** Run a companion command; never throws, returns the exit code and both streams. */
async function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [VIGIL_BIN, ...args], { timeout: 20000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("vigil explain / vigil failover --dry-run against running daemons", () => {
  it("explains down-ness, agreement, electability and the promotion ranking", { timeout: 240000 }, async () => {
    const dir = tempDir("vigil-explain-");
    const master = await startRedis(await freePort());
    const good = await startRedis(await freePort(), { replicaOf: master.port });
    const never = await startRedis(await freePort(), { replicaOf: master.port, extra: ["replica-priority 0"] });
    const ports = [await freePort(), await freePort()];
    for (const p of ports) await startSentinel("vigil", sentinelConf(dir, p, master.port, { quorum: 2, downAfter: 1000 }), p);
    const [p1, p2] = ports as [number, number];
    await waitFor(async () => {
      for (const p of ports) {
        if (((await cmd(p, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).length !== 2) return false;
        if (((await cmd(p, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).length !== 1) return false;
      }
      return true;
    });

    // Plain RESP clients can ask too: an array of text lines.
    const lines = (await cmd(p1, "SENTINEL", "VIGIL-EXPLAIN", "mymaster")) as string[];
    expect(lines[0]).toBe("== Is the master down? ==");

    const healthy = await vigil("explain", "mymaster", "-h", "127.0.0.1", "-p", String(p1));
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain(`Master mymaster at 127.0.0.1:${master.port}, quorum 2, down-after-milliseconds 1000`);
    expect(healthy.stdout).toContain("SDOWN: no, this Sentinel considers the master reachable.");
    expect(healthy.stdout).toContain("ODOWN: no. 0 of 2 Sentinels (this one included) say the master is down; quorum is 2.");
    expect(healthy.stdout).toContain("Voters: 2 known Sentinels (this one included). A leader needs max(quorum 2, majority 2) = 2 votes.");
    expect(healthy.stdout).toContain("so this Sentinel could be elected");
    expect(healthy.stdout).toContain(`Would promote 127.0.0.1:${good.port}: replica-priority 100`);
    expect(healthy.stdout).toContain(`Excluded: 127.0.0.1:${never.port} has replica-priority 0, which means it must never be promoted.`);

    const plan = await vigil("failover", "mymaster", "--dry-run", "-p", String(p1));
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`2. Select 127.0.0.1:${good.port}`);
    expect(plan.stdout).toContain(`Reconfigure 127.0.0.1:${never.port} with SLAVEOF 127.0.0.1 ${good.port}`);
    expect(plan.stdout).toContain(`+switch-master mymaster 127.0.0.1 ${master.port} 127.0.0.1 ${good.port}`);
    expect(plan.stdout).toContain("Dry run: nothing was changed.");
    expect(await cmd(p1, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).toEqual(["127.0.0.1", String(master.port)]);
    expect(await cmd(good.port, "ROLE").then((r) => (r as unknown[])[0])).toBe("slave");

    const unknown = await vigil("explain", "nope", "-p", String(p1));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("(error) ERR No such master with that name");
    const noFailover = await vigil("failover", "nope", "-p", String(p1));
    expect(noFailover.code).toBe(1);
    expect(noFailover.stderr).toContain("(error) ERR No such master with that name");
    const nobody = await vigil("explain", "mymaster", "-p", String(await freePort()));
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("Could not ask the Sentinel at 127.0.0.1:");

    // Only the first Vigil may see the master down: the second waits 10 minutes, so no ODOWN.
    expect(await cmd(p2, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "600000")).toBe("OK");
    master.kill("SIGSTOP");
    try {
      const down = await waitFor(async () => {
        const r = await vigil("explain", "mymaster", "-p", String(p1));
        return r.stdout.includes("SDOWN: yes") && r.stdout.includes("last answer") ? r : undefined;
      }, 20000, 200);
      expect(down.stdout).toMatch(/SDOWN: yes, for \d+ ms\. Cause: no acceptable PING reply for longer than down-after-milliseconds\./);
      expect(down.stdout).toMatch(/A PING has been waiting for a reply for \d+ ms \(limit 1000 ms\)\./);
      expect(down.stdout).toContain("ODOWN: no. 1 of 2 Sentinels (this one included) say the master is down; quorum is 2.");
      expect(down.stdout).toMatch(/Peer [0-9a-f]{8} at 127\.0\.0\.1:\d+ does not say down \(last answer \d+ ms ago\)\./);
      expect(down.stdout).toContain("No failover is running");
    } finally {
      master.kill("SIGCONT");
    }
  });
});
