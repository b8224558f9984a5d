// dist/bin.js loads the start-up bundle (scripts/bundle-cli.mjs) only while it was made from the
// files now in dist/: a `tsc -b` after `npm run build` must run the new code, never the stale bundle.
// Works on a copy of the built packages, so the real dist/ is never touched.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const PACKAGES = ["core", "transport-memory", "transport-redis", "cli"];
const VERSION = "vigil 0.1.0 (Redis Sentinel 7.0 compatible)";

/** A copy of the built workspace: packages/<p>/{package.json,dist}, node_modules linking to them and to the real deps. */
function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-bundle-test-"));
  mkdirSync(join(dir, "node_modules", "@vigil"), { recursive: true });
  for (const p of PACKAGES) {
    const src = join(ROOT, "packages", p);
    if (!existsSync(join(src, "dist", "index.js"))) throw new Error(`packages/${p}/dist is missing: run \`npm run build\` first`);
    cpSync(join(src, "package.json"), join(dir, "packages", p, "package.json"));
    cpSync(join(src, "dist"), join(dir, "packages", p, "dist"), { recursive: true, filter: (f) => !f.includes(`${join("dist", "bundle")}`) });
    symlinkSync(join(dir, "packages", p), join(dir, "node_modules", "@vigil", p));
  }
  for (const e of readdirSync(join(ROOT, "node_modules"))) {
    if (e !== "@vigil" && !e.startsWith(".")) symlinkSync(join(ROOT, "node_modules", e), join(dir, "node_modules", e));
  }
  return dir;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Replace the version line in a built file (a change the bundle cannot have). */
function rewriteVersion(file: string, to: string): void {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(VERSION);
  writeFileSync(file, text.replace(VERSION, to));
}

describe("bin.js and the start-up bundle", () => {
  it("runs the bundle while it is current and dist/ module by module once a bundled file changed", () => {
    const dir = copyWorkspace();
    dirs.push(dir);
    execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-cli.mjs"), dir], { stdio: "pipe" });
    const cli = join(dir, "packages", "cli", "dist");
    const version = () => execFileSync(process.execPath, [join(cli, "bin.js"), "--version"], { encoding: "utf8" }).trim();
    expect(version()).toBe(VERSION);

    // The bundle is what runs while it is current ...
    rewriteVersion(join(cli, "bundle", "main.js"), "from the bundle");
    expect(version()).toBe("from the bundle");

    // ... also in a copy that keeps timestamps (the benchmarks run such a copy of dist/) ...
    const copy = join(dir, "packages", "cli-copy");
    cpSync(join(dir, "packages", "cli"), copy, { recursive: true, preserveTimestamps: true });
    const copied = join(copy, "dist");
    expect(execFileSync(process.execPath, [join(copied, "bin.js"), "--version"], { encoding: "utf8" }).trim()).toBe("from the bundle");

    // ... and never once a file it was made from changed (here: as a later `tsc -b` would).
    rewriteVersion(join(cli, "main.js"), "from dist");
    expect(version()).toBe("from dist");
  }, 60_000);
});
