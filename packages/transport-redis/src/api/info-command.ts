import { machine, type as osType, release } from "node:os";
import { DEFAULT_DIALECT, dialectIdentity, type SentinelDialect } from "../dialect.js";
import { bulk, type Reply } from "../resp/reply.js";
import type { SentinelApiContext, SentinelServerStats } from "./context.js";

/** The sections a Sentinel has, in the order INFO prints them. */
export const INFO_SECTIONS = ["server", "clients", "stats", "cpu", "sentinel"] as const;

/** An INFO section name. */
export type InfoSection = (typeof INFO_SECTIONS)[number];

/**
 * Which sections `INFO [section ...]` asks for, as Sentinel 7.0 reads its arguments: none,
 * `default`, `all` or `everything` mean all five; names are case-insensitive; names of sections a
 * Sentinel does not have (`memory`, `replication`, ...) are ignored, so `INFO replication` is empty.
 */
export function requestedSections(args: readonly string[]): Set<InfoSection> {
  const all = new Set<InfoSection>(INFO_SECTIONS);
  if (args.length === 0) return all;
  const chosen = new Set<InfoSection>();
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === "default" || name === "all" || name === "everything") return all;
    const section = INFO_SECTIONS.find((s) => s === name);
    if (section !== undefined) chosen.add(section);
  }
  return chosen;
}

/**
 * `INFO [section ...]` on a Sentinel (§17.3): a bulk string (not verbatim, even in RESP3) with the
 * Server, Clients, Stats, CPU and Sentinel sections of the dialect's Sentinel (fields in its order,
 * the version fields its own), sections separated by an empty line. Fields that have no meaning for
 * Vigil (event-loop, I/O-thread and eviction counters) keep Redis's idle values (0).
 * `argv` is the whole command (`argv[0]` = `INFO`).
 */
export function infoCommand(ctx: SentinelApiContext, argv: readonly string[]): Reply {
  const now = ctx.runtime.time();
  const sections = requestedSections(argv.slice(1));
  const parts: string[] = [];
  for (const section of INFO_SECTIONS) {
    if (!sections.has(section)) continue;
    const lines = SECTION_LINES[section](ctx, now);
    parts.push(`# ${SECTION_TITLES[section]}\r\n${lines.map((l) => `${l}\r\n`).join("")}`);
  }
  return bulk(parts.join("\r\n"));
}

const SECTION_TITLES: Readonly<Record<InfoSection, string>> = { server: "Server", clients: "Clients", stats: "Stats", cpu: "CPU", sentinel: "Sentinel" };

const SECTION_LINES: Readonly<Record<InfoSection, (ctx: SentinelApiContext, now: number) => string[]>> = {
  server: serverLines,
  clients: (ctx) => clientsLines(ctx.stats(), ctx.dialect ?? DEFAULT_DIALECT),
  stats: (ctx) => statsLines(ctx.stats(), ctx.dialect ?? DEFAULT_DIALECT),
  cpu: cpuLines,
  sentinel: sentinelLines,
};

/**
 * The version fields answer as the dialect's Sentinel (clients and tools gate features on
 * `redis_version`, and on `server_name`/`valkey_version` for Valkey): Vigil serves that behaviour.
 */
function serverLines(ctx: SentinelApiContext, now: number): string[] {
  const p = ctx.process;
  const dialect = ctx.dialect ?? DEFAULT_DIALECT;
  const id = dialectIdentity(dialect);
  const valkey = dialect === "valkey-8";
  const uptime = Math.max(0, Math.floor((now - p.startedAt) / 1000));
  const newer = dialect !== "redis-7.0";
  return [
    `redis_version:${id.redisVersion}`,
    ...(valkey ? [`server_name:${id.server}`, `valkey_version:${id.version}`] : []),
    "redis_git_sha1:00000000",
    "redis_git_dirty:0",
    `redis_build_id:${p.buildId ?? "0"}`,
    `${valkey ? "server_mode" : "redis_mode"}:sentinel`,
    `os:${p.os ?? defaultOs()}`,
    `arch_bits:${process.arch.endsWith("64") ? 64 : 32}`,
    "monotonic_clock:POSIX clock_gettime",
    `multiplexing_api:${multiplexingApi()}`,
    ...(valkey ? [] : ["atomicvar_api:c11-builtin"]),
    "gcc_version:0.0.0",
    `process_id:${p.pid}`,
    "process_supervised:no",
    `run_id:${p.runId}`,
    `tcp_port:${p.tcpPort}`,
    `server_time_usec:${now * 1000}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${p.hz ?? 10}`,
    "configured_hz:10",
    `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
    `executable:${p.executable}`,
    `config_file:${p.configFile}`,
    "io_threads_active:0",
    ...(valkey ? ["availability_zone:"] : []),
    ...(newer ? (p.listeners ?? []).map((l, i) => `listener${i}:name=${l.name},${l.binds.map((b) => `bind=${b},`).join("")}port=${l.port}`) : []),
  ];
}

function clientsLines(st: SentinelServerStats, dialect: SentinelDialect): string[] {
  const valkey = dialect === "valkey-8";
  return [
    `connected_clients:${st.connectedClients}`,
    "cluster_connections:0",
    `maxclients:${st.maxClients ?? 10000}`,
    `client_recent_max_input_buffer:${st.clientMaxInputBuffer ?? 20480}`,
    `client_recent_max_output_buffer:${st.clientMaxOutputBuffer ?? 0}`,
    `blocked_clients:${st.blockedClients ?? 0}`,
    `tracking_clients:${st.trackingClients ?? 0}`,
    ...(valkey ? [`pubsub_clients:${st.pubsubClients ?? 0}`, "watching_clients:0"] : []),
    "clients_in_timeout_table:0",
    ...(valkey ? ["total_watched_keys:0"] : []),
    ...(dialect === "redis-7.0" ? [] : ["total_blocking_keys:0", "total_blocking_keys_on_nokey:0"]),
  ];
}

function statsLines(st: SentinelServerStats, dialect: SentinelDialect): string[] {
  const n = (v: number | undefined) => String(v ?? 0);
  const valkey = dialect === "valkey-8";
  return [
    `total_connections_received:${st.totalConnections}`,
    `total_commands_processed:${st.totalCommands}`,
    `instantaneous_ops_per_sec:${n(st.instantaneousOpsPerSec)}`,
    `total_net_input_bytes:${n(st.totalNetInputBytes)}`,
    `total_net_output_bytes:${n(st.totalNetOutputBytes)}`,
    "total_net_repl_input_bytes:0",
    "total_net_repl_output_bytes:0",
    "instantaneous_input_kbps:0.00",
    "instantaneous_output_kbps:0.00",
    "instantaneous_input_repl_kbps:0.00",
    "instantaneous_output_repl_kbps:0.00",
    `rejected_connections:${n(st.rejectedConnections)}`,
    "sync_full:0",
    "sync_partial_ok:0",
    "sync_partial_err:0",
    "expired_keys:0",
    "expired_stale_perc:0.00",
    "expired_time_cap_reached_count:0",
    "expire_cycle_cpu_milliseconds:0",
    "evicted_keys:0",
    "evicted_clients:0",
    ...(valkey ? ["evicted_scripts:0"] : []),
    "total_eviction_exceeded_time:0",
    "current_eviction_exceeded_time:0",
    "keyspace_hits:0",
    "keyspace_misses:0",
    `pubsub_channels:${n(st.pubsubChannels)}`,
    `pubsub_patterns:${n(st.pubsubPatterns)}`,
    "pubsubshard_channels:0",
    "latest_fork_usec:0",
    "total_forks:0",
    "migrate_cached_sockets:0",
    "slave_expires_tracked_keys:0",
    "active_defrag_hits:0",
    "active_defrag_misses:0",
    "active_defrag_key_hits:0",
    "active_defrag_key_misses:0",
    "total_active_defrag_time:0",
    "current_active_defrag_time:0",
    "tracking_total_keys:0",
    "tracking_total_items:0",
    "tracking_total_prefixes:0",
    "unexpected_error_replies:0",
    `total_error_replies:${n(st.totalErrorReplies)}`,
    "dump_payload_sanitizations:0",
    `total_reads_processed:${n(st.totalReadsProcessed)}`,
    `total_writes_processed:${n(st.totalWritesProcessed)}`,
    "io_threaded_reads_processed:0",
    "io_threaded_writes_processed:0",
    ...(valkey ? VALKEY_IO_STATS : []),
    "reply_buffer_shrinks:0",
    "reply_buffer_expands:0",
    ...(dialect === "redis-7.0" ? [] : EVENTLOOP_AND_ACL_STATS),
  ];
}

/** Valkey 8's extra I/O-thread and buffer-limit counters (always zero here). */
const VALKEY_IO_STATS = [
  "io_threaded_freed_objects:0",
  "io_threaded_poll_processed:0",
  "io_threaded_total_prefetch_batches:0",
  "io_threaded_total_prefetch_entries:0",
  "client_query_buffer_limit_disconnections:0",
  "client_output_buffer_limit_disconnections:0",
];

/** The event-loop and ACL counters Redis 7.2 and Valkey 8 add at the end of `# Stats`. */
const EVENTLOOP_AND_ACL_STATS = [
  "eventloop_cycles:0",
  "eventloop_duration_sum:0",
  "eventloop_duration_cmd_sum:0",
  "instantaneous_eventloop_cycles_per_sec:0",
  "instantaneous_eventloop_duration_usec:0",
  // Not counted yet (the ACL LOG has the refusals): docs/compatibility.md, "Dialects".
  "acl_access_denied_auth:0",
  "acl_access_denied_cmd:0",
  "acl_access_denied_key:0",
  "acl_access_denied_channel:0",
];

/** `%ld.%06ld` of a CPU time in microseconds. */
function seconds(us: number): string {
  const whole = Math.floor(us / 1e6);
  return `${whole}.${String(Math.floor(us - whole * 1e6)).padStart(6, "0")}`;
}

function cpuLines(ctx: SentinelApiContext): string[] {
  const cpu = (ctx.cpuUsage ?? process.cpuUsage)();
  return [
    `used_cpu_sys:${seconds(cpu.system)}`,
    `used_cpu_user:${seconds(cpu.user)}`,
    "used_cpu_sys_children:0.000000",
    "used_cpu_user_children:0.000000",
    `used_cpu_sys_main_thread:${seconds(cpu.system)}`,
    `used_cpu_user_main_thread:${seconds(cpu.user)}`,
  ];
}

/**
 * The Sentinel section (§17.3): counts, TILT, scripts, failure-simulation flags, then one line per
 * master: status `odown` over `sdown` over `ok`, `slaves` = every replica record, `sentinels` = the
 * known other Sentinels plus this one.
 */
function sentinelLines(ctx: SentinelApiContext, now: number): string[] {
  const engine = ctx.runtime.engine;
  const masters = engine.view().masters;
  const lines = [
    `sentinel_masters:${masters.length}`,
    `sentinel_tilt:${engine.inTilt() ? 1 : 0}`,
    `sentinel_tilt_since_seconds:${engine.inTilt() ? Math.floor((now - engine.tiltSince()) / 1000) : -1}`,
    `sentinel_running_scripts:${ctx.runningScripts()}`,
    `sentinel_scripts_queue_length:${ctx.pendingScripts().length}`,
    `sentinel_simulate_failure_flags:${engine.simulateFailureFlags}`,
  ];
  masters.forEach((m, i) => {
    const status = m.odown.state === "odown" ? "odown" : m.health.state === "sdown" ? "sdown" : "ok";
    lines.push(`master${i}:name=${m.name},status=${status},address=${m.addr.host}:${m.addr.port},slaves=${m.replicas.size},sentinels=${m.sentinels.size + 1}`);
  });
  return lines;
}

function defaultOs(): string {
  return `${osType()} ${release()} ${machine()}`;
}

function multiplexingApi(): string {
  switch (process.platform) {
    case "linux":
      return "epoll";
    case "darwin":
    case "freebsd":
    case "openbsd":
      return "kqueue";
    case "sunos":
      return "evport";
    default:
      return "select";
  }
}
