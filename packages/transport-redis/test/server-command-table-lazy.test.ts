import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// The three dialects' captured tables held ~1.2 MB when importing the module built all of them,
// while a daemon speaks one dialect (docs/performance.md §6): importing must build none of them.
const DIALECTS_JS = join(import.meta.dirname, "..", "dist", "server", "command-table-dialects.js");

/** Heap growth (bytes, after full GCs) from building all three dialects' data after importing the module. */
function heapGrowthOfBuildingAll(): number {
  if (!existsSync(DIALECTS_JS)) throw new Error(`${DIALECTS_JS} is missing: run \`npm run build\` first`);
  const script = `
    const { commandTableData } = await import(${JSON.stringify(pathToFileURL(DIALECTS_JS).href)});
    const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    const before = used();
    globalThis.keep = ["redis-7.0", "redis-7.2", "valkey-8"].map((d) => commandTableData(d));
    process.stdout.write(String(used() - before));`;
  return Number(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" }));
}

describe("command-table data: built on first use, per dialect", () => {
  it("importing the dialects module builds no dialect's table", () => {
    // Built at import, the data is already on the heap and building it again adds ~nothing.
    expect(heapGrowthOfBuildingAll()).toBeGreaterThan(600_000);
  });
});
