/** One `slaveN:` line of a master's INFO. */
export interface InfoReplicaEntry {
  readonly host: string;
  readonly port: number;
  /** `online` once synced; `wait_bgsave` while the full sync is being prepared. */
  readonly state: "online" | "wait_bgsave" | "send_bulk";
  /** Offset the replica last acknowledged. */
  readonly offset: number;
  /** Seconds since its last acknowledgement. */
  readonly lagS: number;
}

/** Everything the INFO text of one simulated Redis reports that varies. */
export interface InfoSnapshot {
  readonly runId: string;
  readonly port: number;
  readonly processId: number;
  /** Virtual wall clock (ms since the Unix epoch). */
  readonly nowMs: number;
  readonly uptimeS: number;
  readonly loading: boolean;
  readonly connectedClients: number;
  readonly totalConnections: number;
  readonly totalCommands: number;
  readonly keys: number;
  readonly changesSinceSave: number;
  readonly syncFull: number;
  readonly pubsubChannels: number;
  readonly role: "master" | "slave";
  /** `master_failover_state` (default `no-failover`). */
  readonly failoverState?: string;
  readonly replicas: readonly InfoReplicaEntry[];
  readonly replId: string;
  readonly replId2: string;
  readonly offset: number;
  readonly secondReplOffset: number;
  /** Replica fields (ignored for a master). */
  readonly masterHost: string;
  readonly masterPort: number;
  readonly masterLinkUp: boolean;
  readonly masterLastIoS: number;
  readonly syncInProgress: boolean;
  /** `master_link_down_since_seconds`: seconds, or -1 when the link was never up since boot. */
  readonly masterLinkDownSinceS: number;
  readonly slavePriority: number;
  readonly replicaAnnounced: boolean;
}

// The sections Sentinel does not read are rendered as a real Redis 7.0.15 prints them (values from a
// live server), so the core's INFO parser sees a reply of realistic size and shape.
const MEMORY = [
  "# Memory",
  "used_memory:1106760",
  "used_memory_human:1.06M",
  "used_memory_rss:7258112",
  "used_memory_rss_human:6.92M",
  "used_memory_peak:1106760",
  "used_memory_peak_human:1.06M",
  "used_memory_peak_perc:100.12%",
  "used_memory_overhead:897060",
  "used_memory_startup:876240",
  "used_memory_dataset:209700",
  "used_memory_dataset_perc:90.97%",
  "allocator_allocated:1975520",
  "allocator_active:2158592",
  "allocator_resident:4829184",
  "total_system_memory:25276026880",
  "total_system_memory_human:23.54G",
  "used_memory_lua:32768",
  "used_memory_vm_eval:32768",
  "used_memory_lua_human:32.00K",
  "used_memory_scripts_eval:0",
  "number_of_cached_scripts:0",
  "number_of_functions:0",
  "number_of_libraries:0",
  "used_memory_vm_functions:33792",
  "used_memory_vm_total:66560",
  "used_memory_vm_total_human:65.00K",
  "used_memory_functions:200",
  "used_memory_scripts:200",
  "used_memory_scripts_human:200B",
  "maxmemory:0",
  "maxmemory_human:0B",
  "maxmemory_policy:noeviction",
  "allocator_frag_ratio:1.09",
  "allocator_frag_bytes:183072",
  "allocator_rss_ratio:2.24",
  "allocator_rss_bytes:2670592",
  "rss_overhead_ratio:1.50",
  "rss_overhead_bytes:2428928",
  "mem_fragmentation_ratio:6.80",
  "mem_fragmentation_bytes:6191264",
  "mem_not_counted_for_evict:0",
  "mem_replication_backlog:20508",
  "mem_total_replication_buffers:20504",
  "mem_clients_slaves:0",
  "mem_clients_normal:0",
  "mem_cluster_links:0",
  "mem_aof_buffer:0",
  "mem_allocator:jemalloc-5.3.0",
  "active_defrag_running:0",
  "lazyfree_pending_objects:0",
  "lazyfreed_objects:0",
  "",
].join("\r\n");

const PERSISTENCE_TAIL = [
  "rdb_bgsave_in_progress:0",
  "rdb_last_save_time:1795552349",
  "rdb_last_bgsave_status:ok",
  "rdb_last_bgsave_time_sec:0",
  "rdb_current_bgsave_time_sec:-1",
  "rdb_saves:0",
  "rdb_last_cow_size:327680",
  "rdb_last_load_keys_expired:0",
  "rdb_last_load_keys_loaded:0",
  "aof_enabled:0",
  "aof_rewrite_in_progress:0",
  "aof_rewrite_scheduled:0",
  "aof_last_rewrite_time_sec:-1",
  "aof_current_rewrite_time_sec:-1",
  "aof_last_bgrewrite_status:ok",
  "aof_rewrites:0",
  "aof_rewrites_consecutive_failures:0",
  "aof_last_write_status:ok",
  "aof_last_cow_size:0",
  "module_fork_in_progress:0",
  "module_fork_last_cow_size:0",
  "",
].join("\r\n");

const STATS_TAIL = [
  "sync_partial_ok:0",
  "sync_partial_err:0",
  "expired_keys:0",
  "expired_stale_perc:0.00",
  "expired_time_cap_reached_count:0",
  "expire_cycle_cpu_milliseconds:0",
  "evicted_keys:0",
  "evicted_clients:0",
  "total_eviction_exceeded_time:0",
  "current_eviction_exceeded_time:0",
  "keyspace_hits:0",
  "keyspace_misses:0",
].join("\r\n");

const STATS_END = [
  "pubsub_patterns:0",
  "pubsubshard_channels:0",
  "latest_fork_usec:2091",
  "total_forks:1",
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
  "total_error_replies:0",
  "dump_payload_sanitizations:0",
  "total_reads_processed:37",
  "total_writes_processed:18",
  "io_threaded_reads_processed:0",
  "io_threaded_writes_processed:0",
  "reply_buffer_shrinks:2",
  "reply_buffer_expands:0",
  "",
].join("\r\n");

const CPU_TO_CLUSTER = [
  "# CPU",
  "used_cpu_sys:0.058702",
  "used_cpu_user:0.018936",
  "used_cpu_sys_children:0.000000",
  "used_cpu_user_children:0.006052",
  "used_cpu_sys_main_thread:0.059272",
  "used_cpu_user_main_thread:0.017559",
  "",
  "# Modules",
  "",
  "# Errorstats",
  "",
  "# Cluster",
  "cluster_enabled:0",
  "",
].join("\r\n");

const BACKLOG_SIZE = 1048576;

/**
 * Renders `INFO` (default sections) exactly in Redis 7.0's format: `# Section` headers, `field:value`
 * lines, CRLF line ends, a blank line between sections, no trailing blank line. Field order and the
 * conditional lines (`master_link_down_since_seconds` only while the link is down, `slaveN:` lines on
 * any instance with replicas attached) follow the Redis source (`genRedisInfoString`).
 */
export function renderInfo(s: InfoSnapshot): string {
  const L = [...serverToStats(s), ...replication(s), "", CPU_TO_CLUSTER, "# Keyspace"];
  if (s.keys > 0) L.push(`db0:keys=${s.keys},expires=0,avg_ttl=0`);
  return `${L.join("\r\n")}\r\n`;
}

/** `# Server` to `# Stats`, up to the `# Replication` header. */
function serverToStats(s: InfoSnapshot): string[] {
  return [
    "# Server",
    "redis_version:7.0.15",
    "redis_git_sha1:00000000",
    "redis_git_dirty:0",
    "redis_build_id:ae4d7c971a948f0",
    "redis_mode:standalone",
    "os:Linux 6.1.0-vigil-sim x86_64",
    "arch_bits:64",
    "monotonic_clock:POSIX clock_gettime",
    "multiplexing_api:epoll",
    "atomicvar_api:c11-builtin",
    "gcc_version:12.2.0",
    `process_id:${s.processId}`,
    "process_supervised:no",
    `run_id:${s.runId}`,
    `tcp_port:${s.port}`,
    `server_time_usec:${Math.floor(s.nowMs) * 1000}`,
    `uptime_in_seconds:${s.uptimeS}`,
    `uptime_in_days:${Math.floor(s.uptimeS / 86400)}`,
    "hz:10",
    "configured_hz:10",
    `lru_clock:${Math.floor(s.nowMs / 1000) % 16777216}`,
    "executable:/usr/bin/redis-server",
    "config_file:/etc/redis/redis.conf",
    "io_threads_active:0",
    "",
    "# Clients",
    `connected_clients:${s.connectedClients}`,
    "cluster_connections:0",
    "maxclients:10000",
    "client_recent_max_input_buffer:20480",
    "client_recent_max_output_buffer:0",
    "blocked_clients:0",
    "tracking_clients:0",
    "clients_in_timeout_table:0",
    "",
    MEMORY,
    "# Persistence",
    `loading:${s.loading ? 1 : 0}`,
    "async_loading:0",
    "current_cow_peak:0",
    "current_cow_size:0",
    "current_cow_size_age:0",
    "current_fork_perc:0.00",
    "current_save_keys_processed:0",
    "current_save_keys_total:0",
    `rdb_changes_since_last_save:${s.changesSinceSave}`,
    PERSISTENCE_TAIL,
    "# Stats",
    `total_connections_received:${s.totalConnections}`,
    `total_commands_processed:${s.totalCommands}`,
    "instantaneous_ops_per_sec:2",
    "total_net_input_bytes:1155",
    "total_net_output_bytes:5949",
    "total_net_repl_input_bytes:0",
    "total_net_repl_output_bytes:473",
    "instantaneous_input_kbps:0.10",
    "instantaneous_output_kbps:0.05",
    "instantaneous_input_repl_kbps:0.00",
    "instantaneous_output_repl_kbps:0.05",
    "rejected_connections:0",
    `sync_full:${s.syncFull}`,
    STATS_TAIL,
    `pubsub_channels:${s.pubsubChannels}`,
    STATS_END,
  ];
}

/** `# Replication`. */
function replication(s: InfoSnapshot): string[] {
  const L = ["# Replication", `role:${s.role}`];
  if (s.role === "slave") {
    L.push(
      `master_host:${s.masterHost}`,
      `master_port:${s.masterPort}`,
      `master_link_status:${s.masterLinkUp ? "up" : "down"}`,
      `master_last_io_seconds_ago:${s.masterLinkUp ? s.masterLastIoS : -1}`,
      `master_sync_in_progress:${s.syncInProgress ? 1 : 0}`,
      `slave_read_repl_offset:${s.offset}`,
      `slave_repl_offset:${s.offset}`,
    );
    if (!s.masterLinkUp) L.push(`master_link_down_since_seconds:${s.masterLinkDownSinceS}`);
    L.push(`slave_priority:${s.slavePriority}`, "slave_read_only:1", `replica_announced:${s.replicaAnnounced ? 1 : 0}`);
  }
  L.push(`connected_slaves:${s.replicas.length}`);
  s.replicas.forEach((r, i) => {
    L.push(`slave${i}:ip=${r.host},port=${r.port},state=${r.state},offset=${r.offset},lag=${r.lagS}`);
  });
  const histlen = Math.min(s.offset, BACKLOG_SIZE);
  L.push(
    `master_failover_state:${s.failoverState ?? "no-failover"}`,
    `master_replid:${s.replId}`,
    `master_replid2:${s.replId2}`,
    `master_repl_offset:${s.offset}`,
    `second_repl_offset:${s.secondReplOffset}`,
    `repl_backlog_active:${s.offset > 0 || s.replicas.length > 0 ? 1 : 0}`,
    `repl_backlog_size:${BACKLOG_SIZE}`,
    `repl_backlog_first_byte_offset:${histlen > 0 ? s.offset - histlen + 1 : 0}`,
    `repl_backlog_histlen:${histlen}`,
  );
  return L;
}
