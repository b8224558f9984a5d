/**
 * Fencing a stale master (Vigil extension, on by default): an instance that still claims `role:master`
 * after the sentinels moved the master elsewhere keeps acknowledging writes that the real master never
 * sees, until it is converted to a replica. Sentinel converts it only after 4 publish periods (8 s) of
 * stable reports, and must (a newer failover may have promoted that very instance, and its hello can
 * take that long to arrive). Vigil keeps that wait for the irreversible `SLAVEOF`, but makes the
 * instance refuse writes at once with a reversible fence: `min-replicas-to-write` far above any replica
 * count, so writes get `-NOREPLICAS` while `PING`, `INFO`, `PUBLISH` and the conversion still work
 * (`CLIENT PAUSE WRITE` would also block the peers' hello `PUBLISH` and stall their links).
 *
 * The fenced value encodes the operator's values, so whichever sentinel converts or releases the
 * instance can restore them, even one that did not fence it, and a restarted one.
 */

/** An instance's `min-replicas-to-write` / `min-replicas-max-lag`, as `CONFIG GET` returns them. */
export interface MinReplicasConfig {
  /** `min-replicas-to-write`. */
  readonly toWrite: number;
  /** `min-replicas-max-lag` (seconds). */
  readonly maxLag: number;
}

/** Fenced values of `min-replicas-to-write` start here; no deployment has 10^9 replicas. */
const FENCE_BASE = 1_000_000_000;
/** Added when the operator's `min-replicas-max-lag` was 0 (the fence needs a non-zero lag to act). */
const ZERO_LAG_FLAG = 100_000_000;
/** Operator values of `min-replicas-to-write` at or above this cannot be encoded (kept unfenced). */
const MAX_ENCODABLE = ZERO_LAG_FLAG;

/** Whether `config` is a stale-master fence. */
export function isStaleFence(config: MinReplicasConfig): boolean {
  return config.toWrite >= FENCE_BASE;
}

/**
 * The values that fence an instance whose current values are `operator`, or `null` when there is
 * nothing to do (already fenced, or values too large to encode, which fence writes by themselves).
 */
export function staleFenceFor(operator: MinReplicasConfig): MinReplicasConfig | null {
  if (isStaleFence(operator) || operator.toWrite >= MAX_ENCODABLE || operator.toWrite < 0) return null;
  const zeroLag = operator.maxLag <= 0;
  return { toWrite: FENCE_BASE + (zeroLag ? ZERO_LAG_FLAG : 0) + operator.toWrite, maxLag: zeroLag ? 1 : operator.maxLag };
}

/** The operator's values hidden in a fence, or `null` when `config` is not one. */
export function operatorValuesOf(config: MinReplicasConfig): MinReplicasConfig | null {
  if (!isStaleFence(config)) return null;
  const rest = config.toWrite - FENCE_BASE;
  const zeroLag = rest >= ZERO_LAG_FLAG;
  return { toWrite: zeroLag ? rest - ZERO_LAG_FLAG : rest, maxLag: zeroLag ? 0 : config.maxLag };
}
