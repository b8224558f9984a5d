/** One `slaveN:` line of a master's INFO (§6). */
export interface InfoReplicaLine {
  readonly host: string;
  readonly port: number;
}

/**
 * What Sentinel reads from an INFO reply (§6). Fields are `undefined` when the line was absent, so the
 * engine can tell "not reported" from a value.
 */
export interface InfoReport {
  /** `run_id`, only when the line had 40 characters after the prefix. */
  readonly runId: string | undefined;
  /** `role:` line; `undefined` if missing (Sentinel then treats the role as "slave"). */
  readonly role: "master" | "slave" | undefined;
  /** `slaveN:` lines of a master, in order. */
  readonly replicas: readonly InfoReplicaLine[];
  /** `master_link_down_since_seconds` × 1000 (may be -1000); 0 when absent. */
  readonly masterLinkDownTimeMs: number;
  /** Replica fields, read only after `role:slave` was seen. */
  readonly masterHost: string | undefined;
  readonly masterPort: number | undefined;
  /** `master_link_status:up` (case-insensitive) → true, any other value → false, absent → undefined. */
  readonly masterLinkUp: boolean | undefined;
  readonly slavePriority: number | undefined;
  readonly slaveReplOffset: number | undefined;
  readonly replicaAnnounced: boolean | undefined;
  /**
   * `master_failover_state` (Redis 6.2+, Valkey): `no-failover`, `waiting-for-sync` or
   * `failover-in-progress`; `undefined` when absent, i.e. the instance has no `FAILOVER` command.
   */
  readonly failoverState: string | undefined;
}

/** Why an INFO reply could not be used. The engine logs it and keeps its previous view. */
export interface InfoRejection {
  readonly kind: "info-rejected";
  readonly reason: string;
}
