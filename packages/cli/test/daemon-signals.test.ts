/**
 * A clean stop by signal writes nothing to stderr (issue 12, finding 4): tools that treat any
 * sentinel stderr output as a failure must not flag every stop. redis-sentinel 7.0.15 logs
 * `Received SIGTERM scheduling shutdown...` to its log, stdout when there is no `logfile`.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, cmd, freePort, requireBinary, tempDir, VIGIL_BIN, waitFor } from "./support/processes.js";

afterAll(cleanup);

/** Start a sentinel of `kind` with no logfile, send `signal` once it answers, collect both streams. */
async function stopBySignal(kind: "vigil" | "redis", signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = tempDir("vigil-signals-");
  const port = await freePort();
  const conf = join(dir, "sentinel.conf");
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n`);
  const child =
    kind === "redis"
      ? spawn(requireBinary("redis-sentinel"), [conf], { stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, [VIGIL_BIN, conf], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await waitFor(async () => (await cmd(port, "PING")) === "PONG", 30000);
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${kind} did not start: ${String(e)}\n${stdout}\n${stderr}`);
  }
  child.kill(signal);
  const code = await exited;
  return { code, stdout, stderr };
}

describe("stopping by signal", () => {
  for (const kind of ["redis", "vigil"] as const) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      it(`${kind}: ${signal} logs the shutdown to stdout (no logfile) and nothing to stderr`, async () => {
        const r = await stopBySignal(kind, signal);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^\\d+:signal-handler \\(\\d+\\) Received ${signal} scheduling shutdown\\.\\.\\.$`, "m"));
        expect(r.stdout).toMatch(/# User requested shutdown\.\.\.$/m);
        expect(r.stdout).toMatch(/# Sentinel is now ready to exit, bye bye\.\.\.$/m);
      });
    }
  }
});
