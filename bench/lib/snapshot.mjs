// A private copy of the built workspace packages for one benchmark run. Other engineers rebuild
// `packages/*/dist` while benchmarks run; without a copy a run could start daemons from a half-written
// or mid-run-changed build. The copy is `<tmp>/node_modules/@vigil/<pkg>/{package.json,dist,public}`
// with every other entry of the root node_modules symlinked next to it, so imports resolve as usual.
// `BENCH_NO_SNAPSHOT=1` runs straight from packages/*/dist instead.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const PACKAGES = ["core", "transport-memory", "transport-redis", "cli"];

let root;

/** The directory holding `node_modules/@vigil/*` for this run (made on first use). */
export function buildRoot(workspace, env) {
  if (root) return root;
  if (env("BENCH_NO_SNAPSHOT")) {
    root = { dir: workspace, pkg: (name) => join(workspace, "packages", name), temp: false };
    return root;
  }
  for (const p of PACKAGES) {
    if (!existsSync(join(workspace, "packages", p, "dist", "index.js"))) throw new Error(`packages/${p}/dist is missing: run \`npx tsc -b\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), "vigil-bench-build-"));
  const nm = join(dir, "node_modules");
  mkdirSync(join(nm, "@vigil"), { recursive: true });
  for (const e of readdirSync(join(workspace, "node_modules"))) {
    if (e === "@vigil" || e === ".bin" || e.startsWith(".")) continue;
    symlinkSync(join(workspace, "node_modules", e), join(nm, e));
  }
  for (const p of PACKAGES) {
    const src = join(workspace, "packages", p);
    const dst = join(nm, "@vigil", p);
    mkdirSync(dst);
    cpSync(join(src, "package.json"), join(dst, "package.json"));
    cpSync(join(src, "dist"), join(dst, "dist"), { recursive: true, preserveTimestamps: true });
    if (existsSync(join(src, "public"))) cpSync(join(src, "public"), join(dst, "public"), { recursive: true, preserveTimestamps: true });
  }
  root = { dir, pkg: (name) => join(nm, "@vigil", name), temp: true };
  return root;
}

/** Remove the copy (at exit). */
export function removeBuildRoot() {
  if (root?.temp) rmSync(root.dir, { recursive: true, force: true });
  root = undefined;
}

/** `import()` a workspace package from the copy. */
export function importPackage(workspace, env, name) {
  return import(pathToFileURL(join(buildRoot(workspace, env).pkg(name), "dist", "index.js")).href);
}
