import type { GlobalSettings } from "../settings/global-settings.js";
import type { MasterSettings } from "../settings/master-settings.js";
import type { Address } from "../util/address.js";

/** A peer sentinel as persisted in `sentinel known-sentinel <name> <ip> <port> <runid>`. */
export interface KnownSentinel extends Address {
  readonly runId: string;
}

/** Everything about one master that survives a restart (§19.3). */
export interface PersistedMaster {
  /** Settings; `host`/`port` are the *current* master address (the promoted replica once at RECONF_SLAVES). */
  readonly settings: MasterSettings;
  readonly configEpoch: number;
  readonly leaderEpoch: number;
  /** `known-replica` lines (the old master instead of the promoted replica mid-failover). */
  readonly knownReplicas: readonly Address[];
  /** `known-sentinel` lines: every peer record that has a runid. */
  readonly knownSentinels: readonly KnownSentinel[];
}

/**
 * The engine's durable state: what `sentinel.conf` holds after a rewrite. The transport must write it
 * to stable storage before acting on any command that follows a `persist` command in the same output
 * (a vote is only answered after it is on disk).
 */
export interface PersistedState {
  readonly myId: string;
  readonly currentEpoch: number;
  readonly global: GlobalSettings;
  readonly masters: readonly PersistedMaster[];
}
