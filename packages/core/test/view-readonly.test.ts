// The engine's view is the boundary: outside @vigil/core nothing can change engine state through it.
// The fixture is compiled as a package outside core would see @vigil/core; the compiler must reject
// exactly the lines marked MUTATES (the records are not exported, the view is read-only at every
// depth) and accept every read.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
mkdirSync(join(repo, "node_modules/.cache"), { recursive: true });
const dir = mkdtempSync(join(repo, "node_modules/.cache/vigil-view-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = fileURLToPath(new URL("./fixtures/outside-core.fixture.ts", import.meta.url));

describe("the engine view is read-only outside core", () => {
  it("rejects every mutation and record access, accepts every read", { timeout: 120_000 }, () => {
    cpSync(join(repo, "packages/core/src"), join(dir, "core"), { recursive: true });
    cpSync(fixture, join(dir, "outside.ts"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(repo, "tsconfig.base.json"),
        compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, types: ["node"], paths: { "@vigil/core": ["./core/index.ts"] } },
        files: ["outside.ts"],
      }),
    );
    let out = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    const failing = new Set<number>();
    for (const line of out.split("\n")) {
      const m = /^(?:.*vigil-view-[^/]+\/)?([^(]+)\((\d+),\d+\): error /.exec(line);
      if (m) {
        expect(m[1]).toBe("outside.ts"); // core itself compiles
        failing.add(Number(m[2]));
      }
    }
    const marked = readFileSync(fixture, "utf8")
      .split("\n")
      .flatMap((text, i) => (text.includes("// MUTATES") ? [i + 1] : []));
    expect(marked.length).toBeGreaterThan(10);
    expect([...failing].sort((a, b) => a - b)).toEqual(marked);
  });
});
