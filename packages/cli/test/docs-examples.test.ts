// The examples the docs teach with, run as written: the packages' "start here" pages (the typedoc
// front pages) and the ten lines of docs/embedding.md, the latter against real redis-server processes
// and two real redis-sentinels, through a failover.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cmd, freePort, killAll, sentinelConf, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";

const repo = resolve(import.meta.dirname, "../../..");
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await killAll();
});

function snippets(doc: string): string[] {
  return [...readFileSync(join(repo, doc), "utf8").matchAll(/```ts\n(.*?)```/gs)].map((m) => m[1]!);
}

/** Run a snippet as an ES module from the repository (where `@vigil/*` resolve to the workspaces). */
function runModule(code: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: repo, encoding: "utf8", timeout: 120_000 });
}

describe("examples in the docs", () => {
  it("packages/core/README.md runs and prints what it says", () => {
    const [engine] = snippets("packages/core/README.md");
    expect(runModule(engine!)).toBe("[ '+monitor' ]\n[ 'connect', 'connect' ]\n");
  });

  it("packages/transport-memory/README.md runs: a clean seed, and a hand-built failover", { timeout: 240_000 }, () => {
    const [seed, cluster] = snippets("packages/transport-memory/README.md");
    expect(runModule(seed!)).toMatch(/^0 \[/);
    expect(runModule(cluster!).trim()).toMatch(/^10\.0\.\d+\.\d+:6379$/);
  });

  it("docs/embedding.md's ten lines embed a sentinel that fails over with two redis-sentinels", { timeout: 180_000 }, async () => {
    const code = snippets("docs/embedding.md")[0]!;
    expect(code.trim().split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(10);
    const master = await startRedis(await freePort());
    const replica = await startRedis(await freePort(), { replicaOf: master.port });
    const dir = tempDir("vigil-docs-");
    for (const p of [await freePort(), await freePort()]) await startSentinel("redis", sentinelConf(dir, p, master.port, { quorum: 2 }), p);
    const port = await freePort();
    // The snippet as written, pointed at this fleet (and a 1 s down-after, as the fleet uses).
    const ours = code
      .replace('host: "10.0.0.10", port: 6379, quorum: 2', `host: "127.0.0.1", port: ${master.port}, quorum: 2, downAfterMs: 1000`)
      .replace('"./sentinel-state.json"', JSON.stringify(join(dir, "state.json")))
      .replace("port: 26379,", `port: ${port},`);
    expect(ours).not.toBe(code);
    let out = "";
    child = spawn(process.execPath, ["--input-type=module", "-e", ours], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    await waitFor(async () => ((await cmd(port, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).length === 2, 30_000);
    master.kill("SIGKILL");
    await waitFor(() => out.includes(`mymaster: 127.0.0.1:${master.port} -> 127.0.0.1:${replica.port}`), 60_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n--- output ---\n${out}`);
    });
  });
});
