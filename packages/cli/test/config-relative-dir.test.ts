/**
 * Relative `dir` and relative paths after it (issue 12, finding 1). Redis chdir()s the moment it
 * reads `dir`, so a script path written after it resolves from that directory, the scripts run
 * there, and CONFIG REWRITE writes `dir` back as an absolute path. The scenario, run against
 * redis-sentinel 7.0.15 and Vigil alike: a sentinel launched from a parent directory whose file
 * says `dir ./sentinel_1` and `../../helpers/<script>.sh`; it crashes right after winning an
 * election (SENTINEL SIMULATE-FAILURE crash-after-election), is restarted on the file it rewrote
 * (from yet another directory), finishes the failover and runs both scripts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, cmd, dumpLogs, freePorts, linkStatus, masterAddr, type Proc, startRedis, startSentinel, tempDir, waitFor } from "./support/processes.js";

afterAll(cleanup);

/** A script appending its arguments to `<name>.log` in its working directory. */
function script(path: string, name: string): void {
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${name}.log\n`);
  chmodSync(path, 0o755);
}

describe("relative dir and script paths survive a crash and restart", () => {
  for (const kind of ["redis", "vigil"] as const) {
    it(`${kind === "redis" ? "redis-sentinel" : "vigil"}: starts, crashes after its election, restarts from its rewritten file and runs the scripts`, async () => {
      const [mPort, rPort, sPort] = await freePorts(3);
      const master = await startRedis(mPort!);
      const replica = await startRedis(rPort!, { replicaOf: mPort! });
      await waitFor(async () => (await linkStatus(replica)) === "up", 15000);

      const base = tempDir("vigil-reldir-");
      mkdirSync(join(base, "helpers"));
      mkdirSync(join(base, "run", "sentinel_1"), { recursive: true });
      script(join(base, "helpers", "notify.sh"), "notify");
      script(join(base, "helpers", "reconfig.sh"), "reconfig");
      const work = realpathSync(join(base, "run", "sentinel_1"));
      const conf = join(work, "sentinel.conf");
      writeFileSync(
        conf,
        [
          `port ${sPort}`,
          "bind 127.0.0.1",
          "dir ./sentinel_1",
          `sentinel monitor mymaster 127.0.0.1 ${mPort} 1`,
          "sentinel down-after-milliseconds mymaster 1000",
          "sentinel failover-timeout mymaster 10000",
          "sentinel notification-script mymaster ../../helpers/notify.sh",
          "sentinel client-reconfig-script mymaster ../../helpers/reconfig.sh",
          "",
        ].join("\n"),
      );

      let sentinel: Proc;
      try {
        // Launched from base/run with a relative config path, like `cd run && redis-sentinel sentinel_1/sentinel.conf`.
        sentinel = await startSentinel(kind, "sentinel_1/sentinel.conf", sPort!, [], undefined, undefined, join(base, "run"));
      } catch (e) {
        throw new Error(`${String(e)}\n${dumpLogs()}`);
      }
      // The replica is in the file before the crash, so the restarted sentinel can promote it.
      await waitFor(() => /known-replica mymaster 127\.0\.0\.1 \d+/.test(readFileSync(conf, "utf8")), 20000);
      expect(readFileSync(conf, "utf8")).toMatch(new RegExp(`^dir "${work}"$`, "m"));

      await cmd(sPort!, "SENTINEL", "SIMULATE-FAILURE", "crash-after-election");
      master.kill("SIGKILL");
      expect(await sentinel.exited()).toBe(99);
      const rewritten = readFileSync(conf, "utf8");
      expect(rewritten).toMatch(new RegExp(`^dir "${work}"$`, "m"));
      expect(rewritten).toContain("sentinel notification-script mymaster ../../helpers/notify.sh");

      // Restarted from the file it rewrote, launched from base this time.
      try {
        await startSentinel(kind, "run/sentinel_1/sentinel.conf", sPort!, [], undefined, undefined, base);
        await waitFor(async () => (await masterAddr(sPort!)) === `127.0.0.1:${rPort}`, 30000);
        await waitFor(() => existsSync(join(work, "reconfig.log")) && existsSync(join(work, "notify.log")) && readFileSync(join(work, "notify.log"), "utf8").includes("+switch-master"), 15000);
      } catch (e) {
        throw new Error(`${String(e)}\n${dumpLogs()}`);
      }
      expect(readFileSync(join(work, "reconfig.log"), "utf8")).toContain(`mymaster leader start 127.0.0.1 ${mPort} 127.0.0.1 ${rPort}`);
      expect(readFileSync(join(work, "notify.log"), "utf8")).toContain(`+switch-master mymaster 127.0.0.1 ${mPort} 127.0.0.1 ${rPort}`);
    });
  }
});
