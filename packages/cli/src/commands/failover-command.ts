import { Command } from "commander";
import { daemonAddress, runProgram, withDaemonOptions } from "./daemon-options.js";
import { ask } from "./explain-command.js";
import { PlainError, replyText, sendCommands } from "./sentinel-client.js";

/**
 * `vigil failover <master> --dry-run [-h host] [-p port]`: print what `SENTINEL FAILOVER` would do
 * (`SENTINEL VIGIL-FAILOVER-PLAN`), changing nothing. Without `--dry-run` it asks for the failover
 * itself and prints the Sentinel's answer (`OK`, `-INPROG`, `-NOGOODSLAVE`).
 */
export async function runFailoverCommand(argv: readonly string[]): Promise<number> {
  const cmd = withDaemonOptions(new Command("vigil failover"))
    .description("force a failover of a master, or with --dry-run show the plan without acting")
    .argument("<master>", "master name as in `sentinel monitor`")
    .option("--dry-run", "only print the plan; change nothing");
  return runProgram(cmd, argv, async () => {
    if (cmd.opts().dryRun === true) return ask(cmd, "VIGIL-FAILOVER-PLAN");
    const to = daemonAddress(cmd.opts());
    try {
      const [reply] = await sendCommands(to, [["SENTINEL", "FAILOVER", cmd.args[0]!]]);
      const text = replyText(reply!);
      const failed = reply instanceof PlainError;
      (failed ? process.stderr : process.stdout).write(`${text}\n`);
      return failed ? 1 : 0;
    } catch (e) {
      process.stderr.write(`Could not ask the Sentinel at ${to.host}:${to.port}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  });
}
