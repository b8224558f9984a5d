/**
 * `--inspect` without a port. Away from the `vigil-http` ports a fleet on one host numbers from 9479
 * (the quickstart gives its three sentinels 9479, 9480 and 9481), so the relay never takes one of them.
 */
export const DEFAULT_INSPECT_PORT = 9579;

/**
 * Take `--inspect` / `--inspect=<port>` out of the daemon's arguments before Redis-style grouping,
 * which would otherwise treat the next word as its value.
 */
export function extractInspect(args: readonly string[]): { rest: string[]; inspectPort?: number } | { error: string } {
  let inspectPort: number | undefined;
  const rest: string[] = [];
  for (const a of args) {
    const m = /^--inspect(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const port = m[1] === undefined ? DEFAULT_INSPECT_PORT : Number(m[1]);
    if (!Number.isInteger(port) || port < 0 || port > 65535 || m[1] === "") return { error: `Invalid --inspect port '${m[1]}'` };
    inspectPort = port;
  }
  return inspectPort === undefined ? { rest } : { rest, inspectPort };
}
