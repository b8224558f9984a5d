// `vigil`: the daemon (`vigil sentinel.conf [--directive value ...]`, a drop-in for redis-sentinel)
// and its companion commands (`simulate`, `explain`, `failover`). Argument parsing only; the work
// lives in daemon/ and commands/. Each mode is imported on demand: `vigil explain` should not load
// the daemon, ioredis and the simulator to ask one question.

const USAGE = `Usage: vigil /path/to/sentinel.conf [--port N] [--<directive> value ...] [--log-format text|json]
                   [--http host:port] [--inspect[=port]]
       vigil explain <master> [-h host] [-p port] [-a password]
       vigil failover <master> [--dry-run] [-h host] [-p port] [-a password]
       vigil switchover <master> [--to host:port] [--handover-timeout ms] [--dry-run] [-h host] [-p port] [-a password]
       vigil fences <host:port> [--lift] [-a password]
       vigil simulate [--seed N] [--down-after MS] [--all]
       vigil --version | --help`;

/**
 * Run `vigil <argv>`: the exit code, or -1 while the daemon keeps running. bin.cts sends the daemon
 * straight to the start-up bundle: keep its list of companion commands (`COMPANION`) in step.
 */
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
  return (await import("./daemon/run-daemon.js")).runDaemon(first, rest);
}
