import { Command } from "commander";
import { daemonAddress, runProgram, withDaemonOptions } from "./daemon-options.js";
import { PlainError, replyText, sendCommands } from "./sentinel-client.js";

/**
 * `vigil explain <master> [-h host] [-p port]`: ask a running daemon `SENTINEL VIGIL-EXPLAIN` and
 * print its answer — why the master is or is not down, who agrees, who could be elected, which
 * replica would be promoted. Exit 0 on an answer, 1 on an error reply or no daemon.
 */
export async function runExplainCommand(argv: readonly string[]): Promise<number> {
  const cmd = withDaemonOptions(new Command("vigil explain"))
    .description("explain, in plain words, how a running Vigil sees a master and what it would do")
    .argument("<master>", "master name as in `sentinel monitor`");
  return runProgram(cmd, argv, async () => ask(cmd, "VIGIL-EXPLAIN"));
}

/** Send `SENTINEL <sub> <master>` and print the lines (shared with `vigil failover --dry-run`). */
export async function ask(cmd: Command, sub: string): Promise<number> {
  const master = cmd.args[0]!;
  const to = daemonAddress(cmd.opts());
  try {
    const [reply] = await sendCommands(to, [["SENTINEL", sub, master]]);
    const text = replyText(reply!);
    if (reply instanceof PlainError) {
      process.stderr.write(`${text}\n`);
      return 1;
    }
    process.stdout.write(`${text}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`Could not ask the Sentinel at ${to.host}:${to.port}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
