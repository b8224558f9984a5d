#!/usr/bin/env node
// `vigil`: the daemon (`vigil sentinel.conf [--directive value ...]`, a drop-in for redis-sentinel)
// and its companion commands (`simulate`, ...). Argument parsing only; the work lives in daemon/.
import { commandLineOverrides } from "./config/overrides.js";
import { startDaemon } from "./daemon/daemon.js";
import { daemonizeIfAsked } from "./daemon/daemonize.js";
import { runSimulateCommand } from "./simulate/simulate-command.js";

const USAGE = `Usage: vigil /path/to/sentinel.conf [--port N] [--<directive> value ...] [--log-format text|json]
       vigil simulate [--seed N] [--json]
       vigil --version | --help`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    console.log(USAGE);
    return first === undefined ? 1 : 0;
  }
  if (first === "--version" || first === "-v") {
    console.log("vigil 0.1.0 (Redis Sentinel 7.0 compatible)");
    return 0;
  }
  if (first === "simulate") return runSimulateCommand(rest);
  let logFormat: "text" | "json" | undefined;
  const groups = commandLineOverrides(rest).filter((g) => {
    if (g[0] === "log-format" && (g[1] === "json" || g[1] === "text")) {
      logFormat = g[1];
      return false;
    }
    return g[0] !== "sentinel" || g.length > 1; // `--sentinel` alone only selects sentinel mode
  });
  if (daemonizeIfAsked(first, groups)) return 0;
  const d = await startDaemon({ configPath: first, overrides: groups, logFormat });
  if ("exitCode" in d) {
    console.error(d.message);
    return d.exitCode;
  }
  const shutdown = async (signal: string) => {
    console.error(`Received ${signal} scheduling shutdown...`);
    await d.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
