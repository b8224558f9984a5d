import { MASTER_DEFAULTS } from "../master-settings.js";
import { integerOption, scriptOption, textOption, timeOption, yesNoOption } from "./option-kinds.js";
import type { OptionNaming, OptionSpec } from "./option-spec.js";
import { RENAME_COMMAND_OPTION } from "./rename-command-option.js";

/**
 * Every per-master Sentinel option, the one place that knows them: `SENTINEL SET`, the config
 * loader and the config rewriter all read this table. Its order is the order a rewrite writes
 * them in (Sentinel's). Options named `vigil-*` are Vigil's extensions (docs/configuration.md):
 * they are written only when set away from their default, so files stay loadable by redis-sentinel.
 */
export const MASTER_OPTIONS = {
  "down-after-milliseconds": timeOption({ name: "down-after-milliseconds", field: "downAfterMs", zeroTurnsOff: false, rewriteDefault: (env) => env.defaultDownAfterMs }),
  "failover-timeout": timeOption({ name: "failover-timeout", field: "failoverTimeoutMs", zeroTurnsOff: false, rewriteDefault: (env) => env.defaultFailoverTimeoutMs }),
  // A config line takes whatever atoi gives (SENTINEL SET is stricter), as Redis does.
  "parallel-syncs": integerOption({ name: "parallel-syncs", field: "parallelSyncs", setMin: 1n, cType: "int32", config: "none", rewriteDefault: () => MASTER_DEFAULTS.parallelSyncs }),
  // No line of its own: the quorum is part of `sentinel monitor`.
  quorum: integerOption({ name: "quorum", field: "quorum", setMin: 1n, cType: "uint32", storedMin: 1 }),
  "notification-script": scriptOption({
    name: "notification-script",
    field: "notificationScript",
    setError: "ERR Notification script seems non existing or non executable",
    configError: "Notification script seems non existing or non executable.",
  }),
  "client-reconfig-script": scriptOption({
    name: "client-reconfig-script",
    field: "clientReconfigScript",
    setError: "ERR Client reconfiguration script seems non existing or non executable",
    configError: "Client reconfiguration script seems non existing or non executable.",
  }),
  "auth-pass": textOption({ name: "auth-pass", field: "authPass", secret: true }),
  "auth-user": textOption({ name: "auth-user", field: "authUser" }),
  "master-reboot-down-after-period": timeOption({
    name: "master-reboot-down-after-period",
    valkeyName: "primary-reboot-down-after-period",
    field: "masterRebootDownAfterMs",
    zeroTurnsOff: true,
    rewriteDefault: () => MASTER_DEFAULTS.masterRebootDownAfterMs,
  }),
  "vigil-fence-writes": yesNoOption({ name: "vigil-fence-writes", field: "fenceWrites", default: MASTER_DEFAULTS.fenceWrites }),
  "vigil-crash-down-after": timeOption({ name: "vigil-crash-down-after", field: "crashDownAfterMs", zeroTurnsOff: true, rewriteDefault: () => MASTER_DEFAULTS.crashDownAfterMs }),
  // Seconds of replica lag tolerated while fenced.
  "vigil-fence-max-lag": timeOption({ name: "vigil-fence-max-lag", field: "fenceMaxLagS", zeroTurnsOff: false, rewriteDefault: () => MASTER_DEFAULTS.fenceMaxLagS }),
  "vigil-fence-stale-master": yesNoOption({ name: "vigil-fence-stale-master", field: "fenceStaleMaster", default: MASTER_DEFAULTS.fenceStaleMaster }),
  "rename-command": RENAME_COMMAND_OPTION,
} as const satisfies Readonly<Record<string, OptionSpec<any>>>;

/** A per-master option's key: its Redis name. */
export type MasterOptionName = keyof typeof MASTER_OPTIONS;

/** The typed value of option `K`. */
export type MasterOptionValue<K extends MasterOptionName> = (typeof MASTER_OPTIONS)[K] extends OptionSpec<infer V> ? V : never;

/** Any per-master option's spec. */
export type AnyMasterOption = (typeof MASTER_OPTIONS)[MasterOptionName];

/** Every option, in rewrite order. */
export const MASTER_OPTION_LIST: readonly AnyMasterOption[] = Object.values(MASTER_OPTIONS);

/**
 * One option change, typed by its option (what `SentinelEngine.setOption` applies). `spelled` is
 * the name as the operator wrote it, lower case, for the `+set` event (default: the Redis name).
 */
export type MasterOptionChange = {
  readonly [K in MasterOptionName]: { readonly option: K; readonly value: MasterOptionValue<K>; readonly spelled?: string };
}[MasterOptionName];

/**
 * The option a (lower-case) name denotes under `naming`: Redis's names, or for Valkey both
 * Valkey's and Redis's. Own keys only, so `constructor` & co. are no options.
 */
export function findMasterOption(name: string, naming: OptionNaming): AnyMasterOption | undefined {
  const byRedisName = Object.hasOwn(MASTER_OPTIONS, name) ? MASTER_OPTIONS[name as MasterOptionName] : undefined;
  if (byRedisName !== undefined || naming === "redis") return byRedisName;
  return MASTER_OPTION_LIST.find((o) => o.valkeyName === name);
}

/** The name a rewrite writes for `option` under `naming`. */
export function optionNameFor(option: AnyMasterOption, naming: OptionNaming): string {
  return naming === "valkey" && option.valkeyName !== undefined ? option.valkeyName : option.name;
}
