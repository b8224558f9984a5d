import { createRespServer, createSentinelApi, type RespServer, randomHex, type SentinelProcessInfo, type SentinelRuntime, VIGIL_SENTINEL_SUBCOMMANDS } from "@vigil/transport-redis";
import { isExecutable } from "../config/atomic-write.js";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import type { ScriptRunner } from "../scripts/script-runner.js";
import type { DaemonError } from "./daemon.js";
import { fatal, isFailure } from "./daemon-config.js";
import type { DaemonLog } from "./daemon-log.js";
import { resolveHostSync } from "./resolve-host.js";
import { userDeclarationError } from "./startup-errors.js";
import type { TlsSetup } from "./tls-setup.js";

/** What the Sentinel API server is built from. */
export interface ApiServerOptions {
  readonly path: string;
  readonly config: LoadedConfig;
  readonly tls: TlsSetup;
  readonly runtime: SentinelRuntime;
  readonly scripts: ScriptRunner;
  readonly log: DaemonLog;
  /** `SHUTDOWN`. */
  readonly onShutdown: () => Promise<never>;
}

/** The API server, listening, and the port it listens on (TLS only: the TLS port). */
export interface ListeningServer {
  readonly server: RespServer;
  readonly port: number;
}

/** Build the Sentinel API (RESP) server and listen on the configured `bind` addresses and ports. */
export async function openApiServer(o: ApiServerOptions): Promise<ListeningServer | DaemonError> {
  const g = o.config.generic;
  const processInfo: SentinelProcessInfo & { listeners?: SentinelProcessInfo["listeners"] } = {
    runId: randomHex(20),
    configFile: o.path,
    tcpPort: g.port,
    startedAt: Date.now(),
    pid: process.pid,
    executable: process.argv[1] ?? "vigil",
  };
  const server = createServer(o, processInfo);
  if (isFailure(server)) return server;
  const hosts = g.bind === undefined || g.bind.length === 0 ? ["127.0.0.1"] : g.bind.map((h) => h.replace(/^-/, ""));
  const tcp = g.port !== 0 || o.tls.server === undefined;
  let port: number;
  try {
    // `port 0` with a `tls-port` means TLS only, as in Redis.
    port = await server.listen({ hosts, port: g.port, tls: o.tls.server, tcp });
  } catch (e) {
    return fatal(`Could not create server TCP listening socket ${hosts.join(" ")}:${g.port}: ${(e as Error).message}`);
  }
  processInfo.listeners = [
    ...(tcp ? [{ name: "tcp" as const, binds: hosts, port }] : []),
    ...(o.tls.server === undefined ? [] : [{ name: "tls" as const, binds: hosts, port: server.tlsPort() }]),
  ];
  return { server, port };
}

function createServer(o: ApiServerOptions, processInfo: SentinelProcessInfo): RespServer | DaemonError {
  const { config, scripts } = o;
  const g = config.generic;
  let server: RespServer | undefined;
  const api = createSentinelApi({
    runtime: o.runtime,
    process: processInfo,
    stats: () => {
      const s = server!.stats();
      return { ...s, totalConnections: s.totalConnectionsReceived, totalCommands: s.totalCommandsProcessed };
    },
    pendingScripts: () => scripts.pending(),
    runningScripts: () => scripts.running(),
    isExecutable,
    resolveHost: resolveHostSync,
    dialect: config.dialect,
    // Served (the vigil CLI uses them) but never enumerated by COMMAND: docs/compatibility.md.
    vigilExtensions: true,
    onLoglevel: o.log.setLevel,
  });
  try {
    server = createRespServer({
      handlers: api,
      auth: { requirePass: g.requirepass, users: g.users.map(userSpecFromRule) },
      maxClients: g.maxclients,
      dialect: config.dialect,
      // Vigil's extensions: dispatched, but hidden from COMMAND (the captured tables are the dialect's own).
      extraSentinelSubcommands: VIGIL_SENTINEL_SUBCOMMANDS,
      onShutdown: o.onShutdown,
      onError: (error, where) => logServerError(o.log.logger, error, where),
    });
  } catch (e) {
    // Startup users are checked here: an ACL rule the server refuses is a config error, not a crash.
    return fatal(userDeclarationError(e, config));
  }
  return server;
}

/** Client limits and protocol attacks are logged as what they are (like Redis), not as internal errors. */
function logServerError(logger: Logger, error: unknown, where: string): void {
  logger.log("warning", where.endsWith("-limit") || where === "security" ? (error as Error).message : `internal error in ${where}: ${String(error)}`);
}

/** `user alice on >pw ~* +@all` → the server's user spec (rules applied in ACL SETUSER syntax). */
function userSpecFromRule(rule: readonly string[]): { name: string; rules: string[] } {
  const [name, ...rules] = rule;
  return { name: name ?? "default", rules };
}
