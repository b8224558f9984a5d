#!/usr/bin/env node
// Every dependency a package declares must be imported by its own sources (or by what it ships: the
// cli's public/ page and scripts). A declared but unused dependency is installed by every user for
// nothing, and hides what the package really needs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../packages/", import.meta.url).pathname;
const sourceDirs = ["src", "public"];
let bad = 0;
for (const pkg of readdirSync(root)) {
  const dir = join(root, pkg);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  } catch {
    continue;
  }
  const text = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(p)) text.push(readFileSync(p, "utf8"));
    }
  };
  for (const s of sourceDirs) {
    try {
      walk(join(dir, s));
    } catch {}
  }
  const all = text.join("\n");
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const escaped = dep.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    // `from "dep"`, `from "dep/sub"`, `import("dep")`, `import "dep"`, `require("dep")`, `createRequire(…)("dep")`.
    const used = new RegExp(`(from\\s+|import\\s*\\(\\s*|import\\s+|(require|\\))\\s*\\(\\s*)["']${escaped}(/[^"']*)?["']`).test(all);
    if (!used) {
      console.error(`${manifest.name}: declares dependency "${dep}" but no file under ${sourceDirs.join("/, ")}/ imports it`);
      bad++;
    }
  }
}
if (bad > 0) process.exit(1);
console.log("dependencies: every declared dependency is imported");
