import { z } from "./zod-mini.js";

/** Sentinel's defaults for a newly monitored master (§1.2, §2). */
export const MASTER_DEFAULTS = {
  downAfterMs: 30000,
  failoverTimeoutMs: 180000,
  parallelSyncs: 1,
  masterRebootDownAfterMs: 0,
  crashDownAfterMs: 0,
  fenceWrites: false,
  fenceStaleMaster: true,
  fenceMaxLagS: 1,
} as const;

/**
 * Per-master settings: everything `sentinel monitor` / `sentinel <option> <name> ...` and
 * `SENTINEL SET` can configure. Validated with zod so bad config never reaches the engine.
 */
export const MasterSettingsSchema = z.object({
  name: z.string().check(z.minLength(1)),
  host: z.string().check(z.minLength(1)),
  /**
   * The hostname `host` was resolved from (`resolve-hostnames yes`): Sentinel keeps both and announces
   * this name instead of `host` only with `announce-hostnames yes` (see `announced-address.ts`).
   * Dropped when the master's address changes (a failover).
   */
  hostname: z.optional(z.string()),
  port: z.int().check(z.gte(0), z.lte(65535)),
  quorum: z.int().check(z.gte(1)),
  downAfterMs: z._default(z.int().check(z.positive()), MASTER_DEFAULTS.downAfterMs),
  failoverTimeoutMs: z._default(z.int().check(z.positive()), MASTER_DEFAULTS.failoverTimeoutMs),
  parallelSyncs: z._default(z.int(), MASTER_DEFAULTS.parallelSyncs),
  authPass: z.optional(z.string()),
  authUser: z.optional(z.string()),
  notificationScript: z.optional(z.string()),
  clientReconfigScript: z.optional(z.string()),
  masterRebootDownAfterMs: z._default(z.int().check(z.gte(0)), MASTER_DEFAULTS.masterRebootDownAfterMs),
  /**
   * Vigil extension (`sentinel vigil-fence-writes <name> yes`): keep `min-replicas-to-write` on the
   * current master at 1 while it has a healthy replica (0 when it has none), so a master cut off from
   * the sentinels stops acknowledging writes soon after its replicas are moved away.
   */
  fenceWrites: z._default(z.boolean(), MASTER_DEFAULTS.fenceWrites),
  /**
   * Vigil extension (`sentinel vigil-fence-stale-master <name> no` turns it off): make an instance that
   * still claims to be master after the master moved elsewhere refuse writes at once, instead of
   * acknowledging writes that will be lost until Sentinel's 8 s conversion (stale-master-fence.ts).
   */
  fenceStaleMaster: z._default(z.boolean(), MASTER_DEFAULTS.fenceStaleMaster),
  /**
   * Vigil extension (`sentinel vigil-crash-down-after <name> <ms>`, 0 = off): an instance whose every
   * connection attempt is actively refused for this long is SDOWN (cause `crash`) without waiting for
   * down-after-milliseconds (health/crash-detection.ts).
   */
  crashDownAfterMs: z._default(z.int().check(z.gte(0)), MASTER_DEFAULTS.crashDownAfterMs),
  /** `min-replicas-max-lag` (seconds) applied with fencing (`sentinel vigil-fence-max-lag <name> <s>`). */
  fenceMaxLagS: z._default(z.int().check(z.positive()), MASTER_DEFAULTS.fenceMaxLagS),
  /** rename-command table; keys are lower-cased original command names. */
  renamedCommands: z._default(z.record(z.string(), z.string()), {}),
});

/** Validated per-master settings. */
export type MasterSettings = z.infer<typeof MasterSettingsSchema>;
/** Per-master settings as a caller may supply them (defaults optional). */
export type MasterSettingsInput = z.input<typeof MasterSettingsSchema>;
