#!/usr/bin/env node
// `vigil`'s entry point: loads main.ts and runs it. It loads the bundle that `npm run build` writes to
// dist/bundle/ (scripts/bundle-cli.mjs) when that bundle was made from exactly the files now in dist/,
// else dist/main.js module by module: loading ~190 modules separately was most of the daemon's
// start-up time (docs/performance.md, "Start-up"), and a `tsc -b` after the bundle must never leave
// the daemon running stale code. Only node: modules are imported here.
import { readFileSync, statSync } from "node:fs";

type Main = (argv: string[]) => Promise<number>;

/** Every file the bundle was made from still has the size and mtime it had then. */
function bundleIsCurrent(): boolean {
  const dir = new URL("./bundle/", import.meta.url);
  let inputs: [string, number, number][];
  try {
    inputs = (JSON.parse(readFileSync(new URL("manifest.json", dir), "utf8")) as { inputs: [string, number, number][] }).inputs;
  } catch {
    return false; // never bundled (plain `tsc -b`)
  }
  for (const [path, size, mtimeMs] of inputs) {
    const s = statSync(new URL(path, dir), { throwIfNoEntry: false });
    // Within a millisecond: a copy that keeps timestamps (cp -p, fs.cpSync) rounds them.
    if (s === undefined || s.size !== size || Math.abs(s.mtimeMs - mtimeMs) >= 1) return false;
  }
  return true;
}

async function loadMain(): Promise<Main> {
  if (process.env.VIGIL_NO_BUNDLE !== "1" && bundleIsCurrent()) {
    // A path the compiler does not follow: the bundle is a build output, not a source module.
    const bundled = "./bundle/main.js";
    return ((await import(bundled)) as { main: Main }).main;
  }
  return (await import("./main.js")).main;
}

loadMain()
  .then((main) => main(process.argv.slice(2)))
  .then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
