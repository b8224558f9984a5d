import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// Dispatch reads `arity`, `noAuth`, `fullName` and `top` of a command spec for every request. The
// specs were object literals with lazy `info` / `docs` getters, which V8 keeps in dictionary mode:
// every one of those reads was a hash lookup (docs/performance.md §3, "Command specs of one shape").
// Checked in a child with V8's natives syntax, on the built module.
const TABLE_JS = join(import.meta.dirname, "..", "dist", "server", "command-table.js");

describe("command table specs", () => {
  it("share one hidden class with fast properties, in every dialect", () => {
    if (!existsSync(TABLE_JS)) throw new Error(`${TABLE_JS} is missing: run \`npm run build\` first`);
    const script = `
      const { createSentinelCommandTable } = await import(${JSON.stringify(pathToFileURL(TABLE_JS).href)});
      const out = {};
      for (const dialect of ["redis-7.0", "redis-7.2", "valkey-8"]) {
        const table = createSentinelCommandTable(dialect);
        const specs = [...table.commands.values()].flatMap((s) => [s, ...s.subcommands.values()]);
        const maps = [];
        for (const s of specs) if (!maps.some((m) => %HaveSameMap(m, s))) maps.push(s);
        out[dialect] = { specs: specs.length > 50, maps: maps.length, dictionary: specs.filter((s) => !%HasFastProperties(s)).length, info: Array.isArray(specs[0].info?.items ?? specs[0].info) || typeof specs[0].info === "object" };
      }
      process.stdout.write(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" }));
    for (const dialect of ["redis-7.0", "redis-7.2", "valkey-8"]) expect({ dialect, ...out[dialect] }).toEqual({ dialect, specs: true, maps: 1, dictionary: 0, info: true });
  });
});
