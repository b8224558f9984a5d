import { type Command, CommanderError, InvalidArgumentError } from "commander";
import type { DaemonAddress } from "./sentinel-client.js";

/** The connection options every companion command takes, redis-cli style (`-h`, `-p`, `-a`). */
export function withDaemonOptions(cmd: Command): Command {
  return (
    cmd
      // `-h` is the host, as in redis-cli; help stays available as `--help`.
      .helpOption("--help", "show this help")
      .option("-h, --host <host>", "Sentinel host", "127.0.0.1")
      .option("-p, --port <port>", "Sentinel port", parsePort, 26379)
      .option("-a, --pass <password>", "Sentinel password (default: $REDISCLI_AUTH)")
      .option("--user <user>", "ACL user for AUTH")
      .option("--timeout <ms>", "reply timeout in milliseconds", parsePort, 5000)
      .exitOverride()
      .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
  );
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 65535) throw new InvalidArgumentError("must be a number from 0 to 65535");
  return n;
}

/** The address the parsed options point at. */
export function daemonAddress(opts: { host: string; port: number; pass?: string; user?: string; timeout: number }): DaemonAddress {
  const password = opts.pass ?? process.env.REDISCLI_AUTH;
  return { host: opts.host, port: opts.port, timeoutMs: opts.timeout, ...(password ? { password } : {}), ...(opts.user ? { user: opts.user } : {}) };
}

/** Run a commander program over `argv`; returns its exit code instead of exiting the process. */
export async function runProgram(cmd: Command, argv: readonly string[], action: () => Promise<number>): Promise<number> {
  let code = 0;
  cmd.action(async () => {
    code = await action();
  });
  try {
    await cmd.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return code;
}
