// The packages install like any npm package: `npm pack` each workspace, install the four tarballs into
// an empty project offline (third-party packages come from npm's cache, pinned by the repository's
// lockfile, as `npm ci` left them), then `npx vigil --version`, an import and its types all work.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./support/processes.js";

const repo = resolve(import.meta.dirname, "../../..");
const WORKSPACES = ["core", "transport-memory", "transport-redis", "cli"];

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly license?: string;
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly bin?: Record<string, string>;
  readonly engines?: Record<string, string>;
}

/** npm's environment without what an enclosing `npm test` sets for the repository. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("npm_") || k === "npm_config_cache") env[k] = v;
  return env;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", env: npmEnv(), stdio: ["ignore", "pipe", "pipe"] });
}

/** package.json and package-lock.json of a scratch project depending on the tarballs. */
function scratchProject(dir: string, tarballs: Map<string, string>): void {
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const dependencies: Record<string, string> = {};
  const packages: Record<string, unknown> = {};
  for (const w of WORKSPACES) {
    const entry = lock.packages[`packages/${w}`]!;
    const file = `file:${tarballs.get(w)}`;
    dependencies[entry.name!] = file;
    const { name: _name, ...rest } = entry;
    packages[`node_modules/${entry.name}`] = { ...rest, resolved: file };
  }
  // Third-party runtime packages exactly as the repository pins them (their tarballs are in the cache).
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith("node_modules/") && !entry.dev && !entry.link) packages[path] = entry;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module", dependencies }, null, 2));
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name: "scratch", lockfileVersion: 3, requires: true, packages: { "": { name: "scratch", dependencies }, ...packages } }, null, 2));
}

describe("npm pack → install into an empty project (offline)", () => {
  it("gives a working vigil command, importable packages and their types", { timeout: 300_000 }, () => {
    const packs = tempDir("vigil-pack-");
    const tarballs = new Map<string, string>();
    for (const w of WORKSPACES) {
      const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", packs], join(repo, "packages", w))) as { filename: string }[];
      tarballs.set(w, join(packs, out[0]!.filename));
    }
    const app = tempDir("vigil-scratch-");
    scratchProject(app, tarballs);
    run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], app);

    expect(run("npx", ["--offline", "vigil", "--version"], app)).toMatch(/^vigil 0\.1\.0 /);
    const imported = run(process.execPath, ["--input-type=module", "-e", 'import { createSentinel } from "@vigil/transport-redis"; import { SENTINEL_EVENT_TYPES } from "@vigil/core"; import { SimCluster } from "@vigil/transport-memory"; console.log(typeof createSentinel, SENTINEL_EVENT_TYPES.includes("+switch-master"), typeof SimCluster);'], app);
    expect(imported.trim()).toBe("function true function");

    // The types ship too: a typed listener compiles, a misspelt event name does not.
    writeFileSync(
      join(app, "check.ts"),
      [
        'import { createSentinel } from "@vigil/transport-redis";',
        'const s = createSentinel({ masters: [{ name: "m", host: "127.0.0.1", port: 6379, quorum: 1 }], store: "./s.json" });',
        's.on("+switch-master", (e) => console.log(e.to.host, e.to.port));',
        '// @ts-expect-error a misspelt event name',
        's.on("+swich-master", () => {});',
      ].join("\n"),
    );
    const types = join(repo, "node_modules/@types");
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", skipLibCheck: true, typeRoots: [types], types: ["node"] }, files: ["check.ts"] }));
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    expect(run(process.execPath, [tsc, "-p", app], app)).toBe("");
  });
});
