// What the daemon loads before it answers: the default configuration (no TLS, no passwords, no
// HTTP page, no webhooks) must not initialise OpenSSL (node:crypto: ~2 MB resident, a few ms) nor
// set up Node's ES module loader for its entry point (~15 ms). A preload records the built-in
// modules Node loaded once the daemon answers PING (docs/performance.md, "Start-up").
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { askPreload, startPreloadedDaemon } from "./support/preloaded-daemon.js";
import { cleanup } from "./support/processes.js";

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await cleanup();
});

describe("daemon start-up footprint", () => {
  it("answers PING without loading node:crypto or an ES module entry point", async () => {
    // The list is written on SIGUSR2, which the test sends once PING is answered.
    const record = (dir: string) =>
      `process.on("SIGUSR2", () => require("node:fs").writeFileSync(${JSON.stringify(join(dir, "modules.json"))}, JSON.stringify(process.moduleLoadList)));\n`;
    const daemon = await startPreloadedDaemon(record);
    children.push(daemon.child);
    const loaded = await askPreload<string[]>(daemon, "modules.json", 5_000);
    expect(loaded).toContain("NativeModule net"); // the list is the daemon's, after start-up
    expect(loaded.filter((m) => /^NativeModule (crypto|internal\/crypto\/)/.test(m))).toEqual([]);
    expect(loaded).not.toContain("NativeModule internal/modules/esm/translators");
    // The run id (INFO's run_id) is still 40 hex characters, from the kernel's random source.
    const runIds = readFileSync(daemon.conf, "utf8").match(/^sentinel myid ([0-9a-f]+)$/m);
    expect(runIds?.[1]).toMatch(/^[0-9a-f]{40}$/);
  }, 30_000);
});
