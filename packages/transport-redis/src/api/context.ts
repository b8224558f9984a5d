import type { GlobalSettings } from "@vigil/core";
import type { SentinelDialect } from "../dialect.js";
import type { SentinelRuntime } from "../runtime/sentinel-runtime.js";

export type { SentinelDialect } from "../dialect.js";

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
  readonly pid: number;
  /** Absolute path of the executable. */
  readonly executable: string;
  /** `os:` line; default `uname -s -r -m` as Node sees it. */
  readonly os?: string;
  /** `redis_build_id:`; default `0`. */
  readonly buildId?: string;
  /** `listener<n>:` lines (7.2+): TCP then TLS, each with every bound address (as `bind` lists them). */
  readonly listeners?: readonly { readonly name: "tcp" | "tls"; readonly binds: readonly string[]; readonly port: number }[];
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
  /** Clients subscribed to at least one channel or pattern (`pubsub_clients`, Valkey). */
  readonly pubsubClients?: number;
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
export type ApiRuntime = Pick<SentinelRuntime, "engine" | "apply" | "input" | "time"> & Partial<Pick<SentinelRuntime, "outputsApplied">>;

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
  /**
   * The Sentinel answered as (default `"redis-7.0"`, see {@link SentinelDialect}): subcommands,
   * texts, `SENTINEL CONFIG`/`SET` options and `INFO server`. Valkey's PRIMARY subcommands exist
   * only in `"valkey-8"`.
   */
  readonly dialect?: SentinelDialect;
  /**
   * Serve Vigil's own read-only extensions `SENTINEL VIGIL-EXPLAIN` and `VIGIL-FAILOVER-PLAN`.
   * Default false. Even when served they are not in {@link SentinelApi.subcommands} (what
   * `COMMAND` enumerates), so a client of that Sentinel sees the same command table.
   */
  readonly vigilExtensions?: boolean;
  /**
   * Called after `SENTINEL CONFIG SET loglevel <level>` (redis-7.2 and valkey-8) was applied and flushed, so
   * the daemon's logger follows; the engine's `global.loglevel` is updated too.
   */
  readonly onLoglevel?: (level: GlobalSettings["loglevel"]) => void;
  /** CPU time used by this process in microseconds; default `process.cpuUsage()`. */
  readonly cpuUsage?: () => { readonly user: number; readonly system: number };
}
