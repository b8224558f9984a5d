import { Command } from "commander";
import { daemonAddress, runProgram, withDaemonOptions } from "./daemon-options.js";
import { PlainError, replyText, sendCommands } from "./sentinel-client.js";

/**
 * `vigil switchover <master> [--to host:port] [--handover-timeout ms] [--dry-run]`
 * (`--timeout` is already the reply timeout of every `vigil` client command): a planned switchover
 * (`SENTINEL FAILOVER <master> COORDINATED`). With `--dry-run` it prints the plan
 * (`SENTINEL VIGIL-SWITCHOVER-PLAN`); otherwise it starts the switchover, follows it until it
 * completes or is aborted, and prints the outcome (exit 0 only when the master moved).
 */
export async function runSwitchoverCommand(argv: readonly string[]): Promise<number> {
  const cmd = withDaemonOptions(new Command("vigil switchover"))
    .description("planned switchover with no lost writes: the master hands over to a replica (FAILOVER TO), or with --dry-run show the plan")
    .argument("<master>", "master name as in `sentinel monitor`")
    .option("--to <host:port>", "the replica to hand over to (default: the best ranked)")
    .option("--handover-timeout <ms>", "how long the master may wait for the replica to catch up (FAILOVER TIMEOUT; default 5000)")
    .option("--dry-run", "only print the plan; change nothing");
  return runProgram(cmd, argv, async () => {
    const opts = cmd.opts() as { to?: string; handoverTimeout?: string; dryRun?: boolean };
    const words: string[] = [];
    if (opts.to !== undefined) {
      const at = opts.to.lastIndexOf(":");
      if (at <= 0 || !/^\d+$/.test(opts.to.slice(at + 1))) return fail(`--to must be host:port, got '${opts.to}'`);
      words.push("TO", opts.to.slice(0, at), opts.to.slice(at + 1));
    }
    if (opts.handoverTimeout !== undefined) {
      if (!/^[1-9]\d*$/.test(opts.handoverTimeout)) return fail(`--handover-timeout must be a positive number of milliseconds, got '${opts.handoverTimeout}'`);
      words.push("TIMEOUT", opts.handoverTimeout);
    }
    const master = cmd.args[0]!;
    const to = daemonAddress(cmd.opts());
    try {
      if (opts.dryRun === true) return print(await sendCommands(to, [["SENTINEL", "VIGIL-SWITCHOVER-PLAN", master, ...words]]));
      const [before] = await sendCommands(to, [["SENTINEL", "GET-MASTER-ADDR-BY-NAME", master]]);
      const [started] = await sendCommands(to, [["SENTINEL", "FAILOVER", master, "COORDINATED", ...words]]);
      if (started instanceof PlainError) return print([started]);
      process.stdout.write(`Switchover of ${master} started (from ${replyText(before!).replace("\n", ":")}).\n`);
      return await follow(to, master);
    } catch (e) {
      return fail(`Could not ask the Sentinel at ${to.host}:${to.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

/** Poll the sentinel until its failover state is back to none, then print the switchover section of explain. */
async function follow(to: { host: string; port: number }, master: string): Promise<number> {
  for (let i = 0; i < 6000; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const [state] = await sendCommands(to, [["SENTINEL", "MASTER", master]]);
    if (state instanceof PlainError) return print([state]);
    if (!replyText(state!).includes("failover_in_progress")) break;
  }
  const [explain] = await sendCommands(to, [["SENTINEL", "VIGIL-EXPLAIN", master]]);
  const lines = replyText(explain!).split("\n");
  const at = lines.findIndex((l) => l.includes("== Switchover =="));
  const outcome = at >= 0 ? lines.slice(at, at + 2).join("\n") : replyText(explain!);
  process.stdout.write(`${outcome}\n`);
  return outcome.includes("completed") ? 0 : 1;
}

function print(replies: readonly unknown[]): number {
  const reply = replies[0];
  const failed = reply instanceof PlainError;
  (failed ? process.stderr : process.stdout).write(`${replyText(reply as never)}\n`);
  return failed ? 1 : 0;
}

function fail(text: string): number {
  process.stderr.write(`${text}\n`);
  return 1;
}
