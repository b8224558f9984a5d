// `vigil`: the daemon (`vigil sentinel.conf [--directive value ...]`, a drop-in for redis-sentinel)
// and its companion commands (`simulate`, `explain`, `failover`). Argument parsing only; the work
// lives in daemon/ and commands/. Each mode is imported on demand: `vigil explain` should not load
// the daemon, ioredis and the simulator to ask one question.
import { commandLineOverrides } from "./config/overrides.js";
import { daemonizeIfAsked } from "./daemon/daemonize.js";
import { extractInspect } from "./inspect/inspect-flag.js";

const USAGE = `Usage: vigil /path/to/sentinel.conf [--port N] [--<directive> value ...] [--log-format text|json]
                   [--http host:port] [--inspect[=port]]
       vigil explain <master> [-h host] [-p port] [-a password]
       vigil failover <master> [--dry-run] [-h host] [-p port] [-a password]
       vigil switchover <master> [--to host:port] [--handover-timeout ms] [--dry-run] [-h host] [-p port] [-a password]
       vigil fences <host:port> [--lift] [-a password]
       vigil simulate [--seed N] [--down-after MS] [--all]
       vigil --version | --help`;

/** Run `vigil <argv>`: the exit code, or -1 while the daemon keeps running. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    console.log(USAGE);
    return first === undefined ? 1 : 0;
  }
  if (first === "--version" || first === "-v") {
    console.log("vigil 0.1.0 (Redis Sentinel 7.0 compatible)");
    return 0;
  }
  if (first === "simulate") return (await import("./simulate/simulate-command.js")).runSimulateCommand(rest);
  if (first === "explain") return (await import("./commands/explain-command.js")).runExplainCommand(rest);
  if (first === "failover") return (await import("./commands/failover-command.js")).runFailoverCommand(rest);
  if (first === "switchover") return (await import("./commands/switchover-command.js")).runSwitchoverCommand(rest);
  if (first === "fences") return (await import("./commands/fences-command.js")).runFencesCommand(rest);
  const inspect = extractInspect(rest);
  if ("error" in inspect) {
    console.error(inspect.error);
    return 1;
  }
  let logFormat: "text" | "json" | undefined;
  const groups = commandLineOverrides(inspect.rest).filter((g) => {
    if (g[0] === "log-format" && (g[1] === "json" || g[1] === "text")) {
      logFormat = g[1];
      return false;
    }
    return g[0] !== "sentinel" || g.length > 1; // `--sentinel` alone only selects sentinel mode
  });
  // `--http host:port` is `vigil-http host:port` given on the command line (validated like it).
  for (const g of groups) if (g[0]?.toLowerCase() === "http") g[0] = "vigil-http";
  if (daemonizeIfAsked(first, groups)) return 0;
  // Scripts must not inherit what our parent left open (docs/reliability.md, "Security").
  (await import("./daemon/inherited-fds.js")).closeInheritedDescriptors();
  const { startDaemon } = await import("./daemon/daemon.js");
  const d = await startDaemon({ configPath: first, overrides: groups, logFormat, inspectPort: inspect.inspectPort });
  if ("exitCode" in d) {
    console.error(d.message);
    return d.exitCode;
  }
  // Redis's shutdown lines, in its log (never stderr: see Logger.signal).
  const shutdown = async (signal: string) => {
    d.logger.signal(`Received ${signal} scheduling shutdown...`);
    d.logger.log("warning", "User requested shutdown...");
    await d.stop();
    d.logger.log("warning", "Sentinel is now ready to exit, bye bye...");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  return -1; // keep running
}
