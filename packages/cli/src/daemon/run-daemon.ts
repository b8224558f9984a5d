// `vigil sentinel.conf [--directive value ...]`: the daemon's command line, from argv to a running
// daemon. The entry of the start-up bundle (scripts/bundle-cli.mjs), so it imports the daemon
// statically: everything the daemon needs before its port opens is evaluated (and, in the bundle,
// compiled from the code cache) in one go.
import { commandLineOverrides } from "../config/overrides.js";
import { extractInspect } from "../inspect/inspect-flag.js";
import { startDaemon } from "./daemon.js";
import { daemonizeIfAsked } from "./daemonize.js";
import { closeInheritedDescriptors } from "./inherited-fds.js";

/** Run the daemon with config file `configPath` and the rest of the command line: an exit code, or -1 while it runs. */
export async function runDaemon(configPath: string, rest: string[]): Promise<number> {
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
  if (daemonizeIfAsked(configPath, groups)) return 0;
  // Scripts must not inherit what our parent left open (docs/reliability.md, "Security").
  closeInheritedDescriptors();
  const d = await startDaemon({ configPath, overrides: groups, logFormat, inspectPort: inspect.inspectPort });
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
