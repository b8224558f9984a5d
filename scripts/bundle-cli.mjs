#!/usr/bin/env node
// Bundle the daemon for start-up (part of `npm run build`, after `tsc -b`): packages/cli/dist/main.js
// and everything it imports (core, transport-redis, zod, xstate, ...) into packages/cli/dist/bundle/,
// one file for the daemon's start-up path plus chunks for what it imports on demand. Loading ~190
// modules one by one (resolution, a file read and a compile each) was most of the daemon's start-up
// time (docs/performance.md, "Start-up"). The simulator (@vigil/transport-memory, which starts
// workers by file name) stays outside, loaded from its own dist/ as usual.
//
// manifest.json records each bundled workspace file (path relative to the bundle, size, mtime):
// dist/bin.js loads the bundle only while all of them are unchanged, so a later `tsc -b` that
// rewrites any of them makes the daemon load dist/ module by module again, never stale code.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// `node scripts/bundle-cli.mjs [root]`: the workspace to bundle (default this one; tests pass a copy).
const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
const cliDist = join(root, "packages", "cli", "dist");
const out = join(cliDist, "bundle");

let rolldown;
try {
  ({ rolldown } = await import("rolldown"));
} catch (e) {
  process.stderr.write(`bundle-cli: rolldown is not installed (${e.message}); the daemon loads dist/ module by module\n`);
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
const inputs = new Set();
const bundle = await rolldown({
  input: join(cliDist, "main.js"),
  platform: "node",
  external: [/^@vigil\/transport-memory/, /^node:/],
  logLevel: "warn",
  plugins: [
    {
      name: "record-inputs",
      load(id) {
        inputs.add(id);
        return null;
      },
    },
  ],
});
await bundle.write({ dir: out, format: "esm", entryFileNames: "main.js", chunkFileNames: "[name]-[hash].js", sourcemap: false });
await bundle.close();

const workspace = [...inputs].filter((id) => id.startsWith(join(root, "packages")) && !id.includes("node_modules"));
const manifest = {
  note: "Files bundled into this directory; dist/bin.js uses the bundle only while every one is unchanged.",
  inputs: workspace.sort().map((id) => {
    const s = statSync(id);
    return [relative(out, id), s.size, s.mtimeMs];
  }),
};
mkdirSync(dirname(join(out, "manifest.json")), { recursive: true });
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest)}\n`);
process.stdout.write(`bundle-cli: ${inputs.size} modules (${workspace.length} of the workspace) → ${relative(root, out)}\n`);
