import { type FenceConnection, liftFence, readFence } from "@vigil/transport-redis";
import { Command, InvalidArgumentError } from "commander";
import { runProgram } from "./daemon-options.js";

/** `host:port` (IPv6 as `[::1]:6379` or `::1:6379`). */
function parseAddress(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(":");
  const port = Number(v.slice(i + 1));
  const host = v.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  if (i <= 0 || !/^[0-9]+$/.test(v.slice(i + 1)) || port > 65535 || host === "") throw new InvalidArgumentError("must be host:port");
  return { host, port };
}

const values = (c: { toWrite: number; maxLag: number }) => `min-replicas-to-write ${c.toWrite} min-replicas-max-lag ${c.maxLag}`;

/**
 * `vigil fences <host:port> [--lift]`: show the Vigil stale-master fence a Redis instance carries
 * (recognised by its `min-replicas-to-write` of 1,000,000,000 or more, which encodes the operator's
 * values) and with `--lift` restore those values (`CONFIG SET`, then `CONFIG REWRITE`). For a fleet
 * leaving Vigil, or an instance whose Vigil died (kill -9) while it was fenced. Write fences
 * (`vigil-fence-writes`) are ordinary values only their daemon can tell apart; it lifts them itself.
 */
export async function runFencesCommand(argv: readonly string[]): Promise<number> {
  const cmd = new Command("vigil fences")
    .description("show (and with --lift remove) the Vigil fence on a Redis instance")
    .argument("<host:port>", "the Redis instance", parseAddress)
    .option("--lift", "restore the operator's min-replicas-* values if a Vigil fence is found")
    .option("-a, --pass <password>", "the instance's password (default: $REDISCLI_AUTH)")
    .option("--user <user>", "ACL user for AUTH")
    .helpOption("--help", "show this help")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  return runProgram(cmd, argv, async () => {
    const addr = cmd.processedArgs[0] as { host: string; port: number };
    const opts = cmd.opts<{ lift?: boolean; pass?: string; user?: string }>();
    const pass = opts.pass ?? process.env.REDISCLI_AUTH;
    const c: FenceConnection = { addr, ...(pass ? { auth: { pass, ...(opts.user ? { user: opts.user } : {}) } } : {}) };
    const where = `${addr.host}:${addr.port}`;
    const reading = await readFence(c);
    if (reading.kind === "error") {
      process.stderr.write(`${where}: ${reading.message}\n`);
      return 1;
    }
    if (reading.kind === "none") {
      process.stdout.write(`${where}: no Vigil fence (${values(reading.current)})\n`);
      return 0;
    }
    process.stdout.write(`${where}: stale-master fence (${values(reading.current)}); operator values ${values(reading.operator)}\n`);
    if (opts.lift !== true) return 0;
    const lifted = await liftFence(c, { staleMaster: true });
    if (lifted.kind === "error") {
      process.stderr.write(`${where}: could not lift: ${lifted.message}\n`);
      return 1;
    }
    if (lifted.kind === "lifted") {
      process.stdout.write(`${where}: lifted, ${values(lifted.restored)}${lifted.rewriteError ? ` (not persisted: CONFIG REWRITE said ${lifted.rewriteError})` : ""}\n`);
    }
    return 0;
  });
}
