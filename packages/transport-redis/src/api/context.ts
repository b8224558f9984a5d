import type { GlobalSettings } from "@vigil/core";
import type { SentinelRuntime } from "../runtime/sentinel-runtime.js";

/**
 * Which `redis-sentinel` the API imitates where versions differ.
 * - `"7.0"` (default): byte for byte Debian's `redis-sentinel` 7.0.15, the conformance oracle.
 *   `SENTINEL CONFIG GET` takes one pattern, `SENTINEL CONFIG SET` one parameter, `loglevel` is not
 *   a Sentinel parameter.
 * - `"7.2"`: the newer `SENTINEL CONFIG` of the reference spec (§17.1.2): several patterns /
 *   parameter-value pairs, all validated before any is applied, and `loglevel`.
 */
export type SentinelDialect = "7.0" | "7.2";

/** What `INFO server` says about this process. */
export interface SentinelProcessInfo {
  /** The process run id (40 hex), new at every start. Not the Sentinel's persisted `myid`. */
  readonly runId: string;
  /** Absolute path of the configuration file. */
  readonly configFile: string;
  /** The port the API listens on. */
  readonly tcpPort: number;
  /** Process start (wall-clock ms), for `uptime_in_seconds`. */
  readonly startedAt: number;
  /** `redis_version` to report (clients parse it: report the Redis version whose behaviour is served, e.g. `7.0.15`). */
  readonly version: string;
  readonly pid: number;
  /** Absolute path of the executable. */
  readonly executable: string;
  /** `os:` line; default `uname -s -r -m` as Node sees it. */
  readonly os?: string;
  /** `redis_build_id:`; default `0`. */
  readonly buildId?: string;
  /** `hz:` (Sentinel re-randomises it every tick between 10 and 19); default 10. */
  readonly hz?: number;
}

/**
 * Server counters for `INFO clients` / `INFO stats`; anything absent is reported as 0. The
 * optional names are those of the RESP server's `ServerStats`, so its snapshot can be spread in.
 */
export interface SentinelServerStats {
  readonly connectedClients: number;
  /** `total_connections_received`. */
  readonly totalConnections: number;
  /** `total_commands_processed`. */
  readonly totalCommands: number;
  /** `maxclients`; default 10000. */
  readonly maxClients?: number;
  readonly blockedClients?: number;
  readonly trackingClients?: number;
  readonly instantaneousOpsPerSec?: number;
  readonly totalNetInputBytes?: number;
  readonly totalNetOutputBytes?: number;
  readonly rejectedConnections?: number;
  /** Channels / patterns with at least one subscriber on the API's pub/sub. */
  readonly pubsubChannels?: number;
  readonly pubsubPatterns?: number;
  readonly totalErrorReplies?: number;
  readonly totalReadsProcessed?: number;
  readonly totalWritesProcessed?: number;
  /** `client_recent_max_input_buffer`; default 20480 (what an idle Redis 7.0 shows). */
  readonly clientMaxInputBuffer?: number;
  /** `client_recent_max_output_buffer`. */
  readonly clientMaxOutputBuffer?: number;
}

/** One job of the script queue (§20), for `SENTINEL PENDING-SCRIPTS`. */
export interface PendingScript {
  /** Script path first, then its arguments. */
  readonly argv: readonly string[];
  readonly running: boolean;
  /** 0 when not running. */
  readonly pid: number;
  /** Wall-clock ms the current run started (when running). */
  readonly startedAt: number;
  /** Not before this wall-clock ms (when scheduled); 0 = as soon as possible. */
  readonly runAt: number;
  readonly retryNum: number;
}

/** The part of {@link SentinelRuntime} the API uses (tests may pass a stand-in). */
export type ApiRuntime = Pick<SentinelRuntime, "engine" | "apply" | "input" | "time">;

/** Everything the Sentinel command API needs from the daemon around it. */
export interface SentinelApiContext {
  /** The engine (via `runtime.engine`), its clock (`runtime.time()`) and its effects (`runtime.apply`). */
  readonly runtime: ApiRuntime;
  readonly process: SentinelProcessInfo;
  readonly stats: () => SentinelServerStats;
  /** The script queue, oldest first. */
  readonly pendingScripts: () => readonly PendingScript[];
  /** Scripts running now (`sentinel_running_scripts`). */
  readonly runningScripts: () => number;
  /** `access(path, X_OK) == 0`: checked by `SENTINEL SET notification-script|client-reconfig-script`. */
  readonly isExecutable: (path: string) => boolean;
  /**
   * Resolve a hostname to an address (only asked when `resolve-hostnames yes`), or null when it
   * does not resolve. Absent: every non-empty hostname is accepted and left to the link layer.
   */
  readonly resolveHost?: (host: string) => string | null;
  /** Default `"7.0"`; see {@link SentinelDialect}. */
  readonly dialect?: SentinelDialect;
  /** Serve Valkey's PRIMARY aliases (an extension; `redis-sentinel` answers "unknown subcommand"). Default true. */
  readonly primaryAliases?: boolean;
  /**
   * Serve Vigil's own read-only extensions `SENTINEL VIGIL-EXPLAIN` and `VIGIL-FAILOVER-PLAN`.
   * Default false, so the API stays byte for byte redis-sentinel unless the embedder opts in.
   */
  readonly vigilExtensions?: boolean;
  /**
   * Called after `SENTINEL CONFIG SET loglevel <level>` (7.2 dialect) was applied and flushed, so
   * the daemon's logger follows; the engine's `global.loglevel` is updated too.
   */
  readonly onLoglevel?: (level: GlobalSettings["loglevel"]) => void;
  /** CPU time used by this process in microseconds; default `process.cpuUsage()`. */
  readonly cpuUsage?: () => { readonly user: number; readonly system: number };
}
