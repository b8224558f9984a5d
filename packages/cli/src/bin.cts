#!/usr/bin/env node
// `vigil`'s entry point. The daemon (`vigil sentinel.conf ...`) starts from the start-up bundle
// (daemon-bundle.ts) while it is current, else from dist/ module by module; the companion commands
// always load main.js and only what they use. Only node: modules and daemon-bundle are imported here.
// CommonJS (.cts): an ES module entry point costs the daemon's start-up Node's ES module loader.
import daemonBundle = require("./daemon-bundle.cjs");
import youngGeneration = require("./young-generation.cjs");

/** The first words main.ts handles itself; anything else is a config file (main.ts: keep in step). */
const COMPANION = new Set(["--help", "-h", "--version", "-v", "simulate", "explain", "failover", "switchover", "fences"]);

async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const runDaemon = first !== undefined && !COMPANION.has(first) ? daemonBundle.loadDaemonBundle() : undefined;
  if (runDaemon !== undefined && first !== undefined) return runDaemon(first, rest);
  // The daemon from dist/ module by module (no current bundle): its young generation too.
  if (first !== undefined && !COMPANION.has(first)) youngGeneration.fixYoungGeneration();
  return (await import("./main.js")).main(argv);
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
