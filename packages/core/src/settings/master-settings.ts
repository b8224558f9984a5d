import { z } from "zod";

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
  name: z.string().min(1),
  host: z.string().min(1),
  /**
   * The hostname `host` was resolved from (`resolve-hostnames yes`): Sentinel keeps both and announces
   * this name instead of `host` only with `announce-hostnames yes` (see `announced-address.ts`).
   * Dropped when the master's address changes (a failover).
   */
  hostname: z.string().optional(),
  port: z.number().int().min(0).max(65535),
  quorum: z.number().int().min(1),
  downAfterMs: z.number().int().positive().default(MASTER_DEFAULTS.downAfterMs),
  failoverTimeoutMs: z.number().int().positive().default(MASTER_DEFAULTS.failoverTimeoutMs),
  parallelSyncs: z.number().int().default(MASTER_DEFAULTS.parallelSyncs),
  authPass: z.string().optional(),
  authUser: z.string().optional(),
  notificationScript: z.string().optional(),
  clientReconfigScript: z.string().optional(),
  masterRebootDownAfterMs: z.number().int().min(0).default(MASTER_DEFAULTS.masterRebootDownAfterMs),
  /**
   * Vigil extension (`sentinel vigil-fence-writes <name> yes`): keep `min-replicas-to-write` on the
   * current master at 1 while it has a healthy replica (0 when it has none), so a master cut off from
   * the sentinels stops acknowledging writes soon after its replicas are moved away.
   */
  fenceWrites: z.boolean().default(MASTER_DEFAULTS.fenceWrites),
  /**
   * Vigil extension (`sentinel vigil-fence-stale-master <name> no` turns it off): make an instance that
   * still claims to be master after the master moved elsewhere refuse writes at once, instead of
   * acknowledging writes that will be lost until Sentinel's 8 s conversion (stale-master-fence.ts).
   */
  fenceStaleMaster: z.boolean().default(MASTER_DEFAULTS.fenceStaleMaster),
  /**
   * Vigil extension (`sentinel vigil-crash-down-after <name> <ms>`, 0 = off): an instance whose every
   * connection attempt is actively refused for this long is SDOWN (cause `crash`) without waiting for
   * down-after-milliseconds (health/crash-detection.ts).
   */
  crashDownAfterMs: z.number().int().min(0).default(MASTER_DEFAULTS.crashDownAfterMs),
  /** `min-replicas-max-lag` (seconds) applied with fencing (`sentinel vigil-fence-max-lag <name> <s>`). */
  fenceMaxLagS: z.number().int().positive().default(MASTER_DEFAULTS.fenceMaxLagS),
  /** rename-command table; keys are lower-cased original command names. */
  renamedCommands: z.record(z.string(), z.string()).default({}),
});

/** Validated per-master settings. */
export type MasterSettings = z.infer<typeof MasterSettingsSchema>;
/** Per-master settings as a caller may supply them (defaults optional). */
export type MasterSettingsInput = z.input<typeof MasterSettingsSchema>;
