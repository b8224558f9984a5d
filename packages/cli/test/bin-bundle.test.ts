// dist/bin.cjs starts the daemon from the start-up bundle (scripts/bundle-cli.mjs) only while it was
// made from the files now in dist/ and is itself as the build wrote it: a `tsc -b` after
// `npm run build` must run the new code, never the stale bundle.
// Works on a copy of the built packages, so the real dist/ is never touched.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");
const PACKAGES = ["core", "transport-memory", "transport-redis", "cli"];
const VERSION = "vigil 0.1.0 (Redis Sentinel 7.0 compatible)";
const MESSAGE = "Fatal error, can't open config file";

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

/** Replace the daemon's missing-config message in a built file (a change the bundle cannot have). */
function rewriteMessage(file: string, to: string): void {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(MESSAGE);
  writeFileSync(file, text.replaceAll(MESSAGE, to));
}

/** What a rebuild of the bundle would record for its outputs (here: after editing daemon.cjs in place). */
function recordOutputs(bundleDir: string): void {
  const path = join(bundleDir, "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as { outputs: [string, number, number][] };
  manifest.outputs = manifest.outputs.map(([file]) => {
    const s = statSync(join(bundleDir, file));
    return [file, s.size, s.mtimeMs];
  });
  writeFileSync(path, JSON.stringify(manifest));
}

describe("bin.cjs and the start-up bundle", () => {
  it("starts the daemon from the bundle while it is current and from dist/ once a bundled file changed", () => {
    const dir = copyWorkspace();
    dirs.push(dir);
    execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-cli.mjs"), dir], { stdio: "pipe" });
    const cli = join(dir, "packages", "cli", "dist");
    const bundle = join(cli, "bundle");
    const missing = join(dir, "no-such.conf");
    const daemon = (bin = join(cli, "bin.cjs")) => {
      const r = spawnSync(process.execPath, [bin, missing], { encoding: "utf8" });
      expect(r.status).toBe(1);
      return r.stderr.trim();
    };
    expect(daemon()).toBe(`${MESSAGE} '${missing}': No such file or directory`);

    // The bundle is what runs while it is current (as if rebuilt with this text) ...
    rewriteMessage(join(bundle, "daemon.cjs"), "from the bundle");
    recordOutputs(bundle);
    expect(daemon()).toMatch(/^from the bundle/);
    // ... companion commands never use it ...
    expect(execFileSync(process.execPath, [join(cli, "bin.cjs"), "--version"], { encoding: "utf8" }).trim()).toBe(VERSION);

    // ... a copy that keeps timestamps runs it too (the benchmarks run such a copy of dist/) ...
    const copy = join(dir, "packages", "cli-copy");
    cpSync(join(dir, "packages", "cli"), copy, { recursive: true, preserveTimestamps: true });
    expect(daemon(join(copy, "dist", "bin.cjs"))).toMatch(/^from the bundle/);

    // ... never once the bundle or its cache is not what the build wrote ...
    const later = new Date(Date.now() + 5000);
    utimesSync(join(bundle, "daemon.cjs"), later, later); // same text: only the mtime moves
    expect(daemon()).toMatch(new RegExp(`^${MESSAGE}`));
    recordOutputs(bundle);
    expect(daemon()).toMatch(/^from the bundle/);
    const cache = join(bundle, "daemon.cjs.cache");
    writeFileSync(cache, readFileSync(cache));
    expect(daemon()).toMatch(new RegExp(`^${MESSAGE}`));
    recordOutputs(bundle);

    // ... and never once a file it was made from changed (here: as a later `tsc -b` would).
    rewriteMessage(join(cli, "daemon", "daemon-config.js"), "from dist");
    expect(daemon()).toMatch(/^from dist/);
  }, 60_000);

  it("writes a code cache that this Node accepts for the bundle", async () => {
    const dir = copyWorkspace();
    dirs.push(dir);
    execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-cli.mjs"), dir], { stdio: "pipe" });
    const bundle = join(dir, "packages", "cli", "dist", "bundle");
    const loader = (await import(pathToFileURL(join(dir, "packages", "cli", "dist", "daemon-bundle.cjs")).href)) as typeof import("../src/daemon-bundle.cjs");
    expect(loader.bundleIsCurrent(bundle)).toBe(true);
    const { exports, script } = loader.evaluateBundle(bundle, readFileSync(join(bundle, loader.CACHE_FILE)));
    expect(script.cachedDataRejected).toBe(false);
    expect(typeof exports.runDaemon).toBe("function");
    // Made by starting the daemon once (scripts/warm-code-cache.mjs): it holds what a start-up
    // compiles, well beyond the top level that evaluating the bundle alone compiles (326 against
    // 604 KB when this was written).
    const loaderPath = join(dir, "packages", "cli", "dist", "daemon-bundle.cjs");
    const topLevelOnly = execFileSync(process.execPath, ["-e", `process.stdout.write(String(require(${JSON.stringify(loaderPath)}).evaluateBundle(${JSON.stringify(bundle)}).script.createCachedData().length))`], { encoding: "utf8" });
    expect(readFileSync(join(bundle, loader.CACHE_FILE)).length).toBeGreaterThan(1.4 * Number(topLevelOnly));
  }, 60_000);
});
