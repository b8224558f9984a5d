// The daemon closes the descriptors it inherited (daemon/inherited-fds.ts, so that scripts cannot
// see them), but not the files V8's profilers opened for it before any JavaScript ran:
// `node --perf-basic-prof vigil ...` lost its perf map at start-up, so `perf report` could not
// name any JavaScript function compiled afterwards.
import type { ChildProcess } from "node:child_process";
import { readdirSync, readlinkSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { startPreloadedDaemon } from "./support/preloaded-daemon.js";
import { cleanup } from "./support/processes.js";

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) {
    c.kill("SIGKILL");
    rmSync(`/tmp/perf-${c.pid}.map`, { force: true });
  }
  await cleanup();
});

describe("descriptors at start-up", () => {
  it("keeps V8's perf map open under --perf-basic-prof", async () => {
    const daemon = await startPreloadedDaemon(() => "", { nodeArgs: ["--perf-basic-prof"] });
    children.push(daemon.child);
    const pid = daemon.child.pid;
    const map = `/tmp/perf-${pid}.map`;
    const open = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return "";
      }
    });
    expect(open).toContain(map);
  }, 30_000);
});
