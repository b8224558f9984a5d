// The daemon keeps V8's young generation at its start-up size (young-generation.cts): left to
// V8 it doubles whenever the bytes surviving scavenges add up to its size, to 2 × 16 MiB, and a
// sentinel watching hundreds of masters allocates too fast for V8 to shrink it again — a third of
// the daemon's RSS (docs/performance.md). A preload makes the daemon keep objects alive across
// scavenges once it answers PING, then reports the young generation's size.
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { askPreload, startPreloadedDaemon } from "./support/preloaded-daemon.js";
import { cleanup } from "./support/processes.js";

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await cleanup();
});

const MiB = 1024 * 1024;
/** The built module (CommonJS, like the entry point that calls it). */
const { fixYoungGeneration } = createRequire(import.meta.url)("../dist/young-generation.cjs") as typeof import("../src/young-generation.cjs");

/** On SIGUSR2, keep objects alive across scavenges for a while, then write the young generation's size before and after. */
const survivors = (out: string) => `const v8 = require("node:v8");
const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
process.on("SIGUSR2", () => {
  const before = young();
  const keep = [];
  let round = 0;
  const t = setInterval(() => {
    for (let k = 0; k < 20000; k++) keep.push({ k, s: "x" + k });
    if (keep.length > 300000) keep.splice(0, 100000);
    if (++round === 60) {
      clearInterval(t);
      require("node:fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify({ before, after: young() }));
    }
  }, 2);
});\n`;

/** The young generation's size (MiB) in a daemon started with `nodeArgs`, after a workload whose objects survive scavenges. */
async function youngGenerationAfterSurvivors(nodeArgs: string[], env: Record<string, string> = {}): Promise<{ before: number; after: number }> {
  const daemon = await startPreloadedDaemon((d) => survivors(join(d, "young.json")), { nodeArgs, env });
  children.push(daemon.child);
  const r = await askPreload<{ before: number; after: number }>(daemon, "young.json");
  daemon.child.kill("SIGKILL");
  return { before: r.before / MiB, after: r.after / MiB };
}

describe("the daemon's young generation", () => {
  it("stays at its start-up size however much survives scavenges", async () => {
    const { before, after } = await youngGenerationAfterSurvivors([]);
    expect(before).toBeLessThanOrEqual(4);
    expect(after).toBe(before);
  }, 40_000);

  it("stays at its start-up size when started from dist/ module by module (no current bundle)", async () => {
    const { before, after } = await youngGenerationAfterSurvivors([], { VIGIL_NO_BUNDLE: "1" });
    expect(after).toBe(before);
  }, 40_000);

  it("grows as V8 decides when the operator sets a semi-space flag (the same workload)", async () => {
    const { after } = await youngGenerationAfterSurvivors(["--max-semi-space-size=16"]);
    expect(after).toBeGreaterThanOrEqual(16);
  }, 40_000);

  it("leaves V8's sizing alone when a semi-space flag is on node's command line or in NODE_OPTIONS", () => {
    expect(fixYoungGeneration(["--max-semi-space-size=4"], undefined)).toBe(false);
    expect(fixYoungGeneration([], "--max-old-space-size=100 --max-semi-space-size=2")).toBe(false);
  });
});
