/**
 * What Redis itself accepts as generic (non-`sentinel`) directives. A drop-in must accept every line a
 * real `redis-sentinel` accepts and reject the rest with the same message, so the tables below are the
 * Redis 7.0.15 config table (`CONFIG GET *` plus the hidden entries), extended with the names later
 * 7.x releases added so configs written for them load too.
 */

/** Every standard config name of Redis 7.0.15, aliases and hidden configs included. */
const REDIS_7_0_CONFIGS = [
  "acl-pubsub-default",
  "aclfile",
  "acllog-max-len",
  "active-defrag-cycle-max",
  "active-defrag-cycle-min",
  "active-defrag-ignore-bytes",
  "active-defrag-max-scan-fields",
  "active-defrag-threshold-lower",
  "active-defrag-threshold-upper",
  "active-expire-effort",
  "activedefrag",
  "activerehashing",
  "always-show-logo",
  "aof-disable-auto-gc",
  "aof-load-truncated",
  "aof-rewrite-incremental-fsync",
  "aof-timestamp-enabled",
  "aof-use-rdb-preamble",
  "aof_rewrite_cpulist",
  "appenddirname",
  "appendfilename",
  "appendfsync",
  "appendonly",
  "auto-aof-rewrite-min-size",
  "auto-aof-rewrite-percentage",
  "bgsave_cpulist",
  "bind",
  "bind-source-addr",
  "bio_cpulist",
  "busy-reply-threshold",
  "client-output-buffer-limit",
  "client-query-buffer-limit",
  "cluster-allow-pubsubshard-when-down",
  "cluster-allow-reads-when-down",
  "cluster-allow-replica-migration",
  "cluster-announce-bus-port",
  "cluster-announce-hostname",
  "cluster-announce-ip",
  "cluster-announce-port",
  "cluster-announce-tls-port",
  "cluster-config-file",
  "cluster-enabled",
  "cluster-link-sendbuf-limit",
  "cluster-migration-barrier",
  "cluster-node-timeout",
  "cluster-port",
  "cluster-preferred-endpoint-type",
  "cluster-replica-no-failover",
  "cluster-replica-validity-factor",
  "cluster-require-full-coverage",
  "cluster-slave-no-failover",
  "cluster-slave-validity-factor",
  "crash-log-enabled",
  "crash-memcheck-enabled",
  "daemonize",
  "databases",
  "dbfilename",
  "dir",
  "disable-thp",
  "dynamic-hz",
  "enable-debug-command",
  "enable-module-command",
  "enable-protected-configs",
  "hash-max-listpack-entries",
  "hash-max-listpack-value",
  "hash-max-ziplist-entries",
  "hash-max-ziplist-value",
  "hll-sparse-max-bytes",
  "hz",
  "ignore-warnings",
  "io-threads",
  "io-threads-do-reads",
  "jemalloc-bg-thread",
  "key-load-delay",
  "latency-monitor-threshold",
  "latency-tracking",
  "latency-tracking-info-percentiles",
  "lazyfree-lazy-eviction",
  "lazyfree-lazy-expire",
  "lazyfree-lazy-server-del",
  "lazyfree-lazy-user-del",
  "lazyfree-lazy-user-flush",
  "lfu-decay-time",
  "lfu-log-factor",
  "list-compress-depth",
  "list-max-listpack-size",
  "list-max-ziplist-size",
  "loading-process-events-interval-bytes",
  "logfile",
  "loglevel",
  "lua-enable-deprecated-api",
  "lua-time-limit",
  "masterauth",
  "masteruser",
  "maxclients",
  "maxmemory",
  "maxmemory-clients",
  "maxmemory-eviction-tenacity",
  "maxmemory-policy",
  "maxmemory-samples",
  "min-replicas-max-lag",
  "min-replicas-to-write",
  "min-slaves-max-lag",
  "min-slaves-to-write",
  "no-appendfsync-on-rewrite",
  "notify-keyspace-events",
  "oom-score-adj",
  "oom-score-adj-values",
  "pidfile",
  "port",
  "proc-title-template",
  "propagation-error-behavior",
  "protected-mode",
  "proto-max-bulk-len",
  "rdb-del-sync-files",
  "rdb-key-save-delay",
  "rdb-save-incremental-fsync",
  "rdbchecksum",
  "rdbcompression",
  "repl-backlog-size",
  "repl-backlog-ttl",
  "repl-disable-tcp-nodelay",
  "repl-diskless-load",
  "repl-diskless-sync",
  "repl-diskless-sync-delay",
  "repl-diskless-sync-max-replicas",
  "repl-ping-replica-period",
  "repl-ping-slave-period",
  "repl-timeout",
  "replica-announce-ip",
  "replica-announce-port",
  "replica-announced",
  "replica-ignore-disk-write-errors",
  "replica-ignore-maxmemory",
  "replica-lazy-flush",
  "replica-priority",
  "replica-read-only",
  "replica-serve-stale-data",
  "replicaof",
  "requirepass",
  "sanitize-dump-payload",
  "save",
  "server_cpulist",
  "set-max-intset-entries",
  "set-proc-title",
  "shutdown-on-sigint",
  "shutdown-on-sigterm",
  "shutdown-timeout",
  "slave-announce-ip",
  "slave-announce-port",
  "slave-ignore-maxmemory",
  "slave-lazy-flush",
  "slave-priority",
  "slave-read-only",
  "slave-serve-stale-data",
  "slaveof",
  "slowlog-log-slower-than",
  "slowlog-max-len",
  "socket-mark-id",
  "stop-writes-on-bgsave-error",
  "stream-node-max-bytes",
  "stream-node-max-entries",
  "supervised",
  "syslog-enabled",
  "syslog-facility",
  "syslog-ident",
  "tcp-backlog",
  "tcp-keepalive",
  "timeout",
  "tls-auth-clients",
  "tls-ca-cert-dir",
  "tls-ca-cert-file",
  "tls-cert-file",
  "tls-ciphers",
  "tls-ciphersuites",
  "tls-client-cert-file",
  "tls-client-key-file",
  "tls-client-key-file-pass",
  "tls-cluster",
  "tls-dh-params-file",
  "tls-key-file",
  "tls-key-file-pass",
  "tls-port",
  "tls-prefer-server-ciphers",
  "tls-protocols",
  "tls-replication",
  "tls-session-cache-size",
  "tls-session-cache-timeout",
  "tls-session-caching",
  "tracking-table-max-keys",
  "unixsocket",
  "unixsocketperm",
  "use-exit-on-panic",
  "watchdog-period",
  "zset-max-listpack-entries",
  "zset-max-listpack-value",
  "zset-max-ziplist-entries",
  "zset-max-ziplist-value",
] as const;

/** Config names added by Redis 7.2 / 7.4 (a file written for them must still load). */
const REDIS_7_2_PLUS_CONFIGS = [
  "cluster-announce-human-nodename",
  "debug-context",
  "enable-debug-assert",
  "hide-user-data-from-log",
  "locale-collate",
  "max-new-connections-per-cycle",
  "max-new-tls-connections-per-cycle",
] as const;

/** Lower-case names of every standard config (one-argument unless listed in {@link MULTI_ARG_CONFIGS}). */
export const STANDARD_CONFIGS: ReadonlySet<string> = new Set<string>([...REDIS_7_0_CONFIGS, ...REDIS_7_2_PLUS_CONFIGS]);

/**
 * Standard configs that take a variable number of arguments (Redis's `MULTI_ARG_CONFIG`); every other
 * standard config must have exactly one argument or Redis says `wrong number of arguments`.
 */
export const MULTI_ARG_CONFIGS: ReadonlySet<string> = new Set([
  "bind",
  "client-output-buffer-limit",
  "latency-tracking-info-percentiles",
  "replicaof",
  "save",
  "shutdown-on-sigint",
  "shutdown-on-sigterm",
  "slaveof",
]);

/**
 * Alias → canonical name. `CONFIG REWRITE` keys a line by its canonical name, so a `slaveof` line is
 * the slot reused for `replicaof`.
 */
export const CONFIG_ALIASES: ReadonlyMap<string, string> = new Map([
  ["slaveof", "replicaof"],
  ["slave-priority", "replica-priority"],
  ["slave-announce-ip", "replica-announce-ip"],
  ["slave-announce-port", "replica-announce-port"],
  ["slave-serve-stale-data", "replica-serve-stale-data"],
  ["slave-read-only", "replica-read-only"],
  ["slave-ignore-maxmemory", "replica-ignore-maxmemory"],
  ["slave-lazy-flush", "replica-lazy-flush"],
  ["repl-ping-slave-period", "repl-ping-replica-period"],
  ["min-slaves-to-write", "min-replicas-to-write"],
  ["min-slaves-max-lag", "min-replicas-max-lag"],
  ["cluster-slave-validity-factor", "cluster-replica-validity-factor"],
  ["cluster-slave-no-failover", "cluster-replica-no-failover"],
  ["hash-max-ziplist-entries", "hash-max-listpack-entries"],
  ["hash-max-ziplist-value", "hash-max-listpack-value"],
  ["zset-max-ziplist-entries", "zset-max-listpack-entries"],
  ["zset-max-ziplist-value", "zset-max-listpack-value"],
  ["list-max-ziplist-size", "list-max-listpack-size"],
  ["lua-time-limit", "busy-reply-threshold"],
]);

/** Removed configs Redis still swallows silently, but only with exactly one argument. */
export const DEPRECATED_CONFIGS: ReadonlySet<string> = new Set([
  "list-max-ziplist-entries",
  "list-max-ziplist-value",
  "lua-replicate-commands",
]);

/**
 * Directives handled outside the config table. `CONFIG REWRITE` keeps their lines (they are not turned
 * into `# ???` comments) even though it has no table entry for them.
 */
export const SPECIAL_DIRECTIVES: ReadonlySet<string> = new Set(["include", "rename-command", "user", "loadmodule", "sentinel"]);

/** Vigil's own directives are namespaced so they can never collide with a Redis name. */
export const VIGIL_PREFIX = "vigil-";

/** The rewrite key of a generic directive: lower-case, aliases folded to their canonical name. */
export function canonicalDirective(name: string): string {
  const lower = name.toLowerCase();
  return CONFIG_ALIASES.get(lower) ?? lower;
}

/**
 * Whether `CONFIG REWRITE` recognises a line starting with `name` (anything else is kept as a
 * `# ??? ` comment): config-table names, the special directives and Vigil's extensions.
 */
export function isRewritableDirective(name: string): boolean {
  const lower = name.toLowerCase();
  return STANDARD_CONFIGS.has(lower) || SPECIAL_DIRECTIVES.has(lower) || lower.startsWith(VIGIL_PREFIX);
}
