#!/usr/bin/env node
// Bundle the daemon for start-up (part of `npm run build`, after `tsc -b`): packages/cli/dist/daemon/
// run-daemon.js and everything it imports (core, transport-redis, zod, xstate, and what it imports
// on demand, such as prom-client) into one CommonJS file, packages/cli/dist/bundle/daemon.cjs, plus
// a V8 code cache of it (daemon.cjs.cache). Loading ~190 modules one by one (resolution, a file read,
// a compile and an evaluation each) was most of the daemon's start-up time; one file compiled from
// its code cache is a fraction of it (docs/performance.md, "Start-up"). CommonJS because Node 20
// offers a code cache only to scripts (vm.Script), not to ES modules. The companion commands
// (`vigil simulate` and the others) are not bundled: dist/bin.cjs runs them from dist/.
//
// manifest.json records each bundled workspace file and the two outputs (path relative to the
// bundle, size, mtime): dist/bin.cjs loads the bundle only while all of them are unchanged, so a
// later `tsc -b` that rewrites any of them makes the daemon load dist/ module by module again,
// never stale code (packages/cli/src/daemon-bundle.cts).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
  input: join(cliDist, "daemon", "run-daemon.js"),
  platform: "node",
  external: [/^node:/],
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
await bundle.write({ file: join(out, "daemon.cjs"), format: "cjs", codeSplitting: false, sourcemap: false, comments: false }); // comments: 15% of the text, held in memory
await bundle.close();
writeFileSync(join(out, "daemon.cjs"), asScript(readFileSync(join(out, "daemon.cjs"), "utf8")));

/** rolldown's CommonJS output made into the text daemon-bundle.cts compiles. */
function asScript(code) {
  // CommonJS output requires every external at the top, also those of modules the daemon
  // evaluates only on demand (the HTTP page, scripts, TLS): loading node:http, node:tls and
  // node:child_process costs 10-30 ms each; node:crypto initialises OpenSSL (~2 MB resident), which
  // only passwords, TLS and webhooks use. Their bindings become proxies that load on first use.
  let lazy = 0;
  const out = code.replace(/^let (node_\w+) = require\("(node:(?:http|tls|child_process|perf_hooks|crypto))"\);$/gm, (_, name, id) => {
    lazy++;
    return `let ${name} = __lazyBuiltin(${JSON.stringify(id)});`;
  });
  if (lazy === 0) process.stderr.write("bundle-cli: no lazily loaded built-in found (rolldown's output changed?)\n");
  // ASCII only (\uXXXX escapes; the few non-ASCII characters are in string and template literals):
  // one character outside Latin-1 makes V8 hold the whole 1.1 MB source as a two-byte string, twice
  // the memory, for the life of the daemon.
  const ascii = out.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  // Node's own CommonJS wrapper, in the file: daemon-bundle.cts compiles the file's text as it is
  // (one string, no copy), and the code cache is made for exactly that text. Strict, as the ES
  // modules it was made from (rolldown's CommonJS output does not say so).
  const lazyBuiltin = "const __lazyBuiltin = (id) => { let m; return new Proxy({}, { get: (_, k) => (m ??= require(id))[k] }); };";
  return `(function (exports, require, module, __filename, __dirname) {"use strict";\n${lazyBuiltin}\n${ascii}\n})`;
}

// The code cache: made in a fresh process of this Node by starting the daemon once from the bundle
// (warm-code-cache.mjs), so it holds what a start-up compiles.
execFileSync(process.execPath, [join(import.meta.dirname, "warm-code-cache.mjs"), join(cliDist, "daemon-bundle.cjs"), out, join(out, "daemon.cjs.cache")], { stdio: "inherit" });

const workspace = [...inputs].filter((id) => id.startsWith(join(root, "packages")) && !id.includes("node_modules"));
const entry = (file) => {
  const s = statSync(file);
  return [relative(out, file), s.size, s.mtimeMs];
};
const manifest = {
  note: "Files bundled into this directory, and its outputs; dist/bin.cjs uses the bundle only while every one is unchanged.",
  inputs: workspace.sort().map(entry),
  outputs: ["daemon.cjs", "daemon.cjs.cache"].map((f) => entry(join(out, f))),
};
mkdirSync(dirname(join(out, "manifest.json")), { recursive: true });
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest)}\n`);
process.stdout.write(`bundle-cli: ${inputs.size} modules (${workspace.length} of the workspace) → ${relative(root, out)}\n`);
