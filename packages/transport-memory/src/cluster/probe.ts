import type { EngineLike } from "../sentinel/engine-like.js";
import type { SentinelRef } from "./observer.js";

/** A data node as checkers see it. */
export interface DataNodeState {
  /** `host:port`. */
  readonly key: string;
  readonly alive: boolean;
  readonly paused: boolean;
  readonly role: "master" | "slave";
  /** `host:port` it replicates from (null for a master). */
  readonly masterKey: string | null;
  /** Replication link up (always false for a master). */
  readonly linkUp: boolean;
}

/**
 * Read-only view of a cluster for checkers that sample state rather than react to events. The
 * simulator's cluster implements it; tests can hand-make one.
 */
export interface ClusterProbe {
  /** Virtual time (ms). */
  readonly now: number;
  /** Names of the master groups. */
  groupNames(): readonly string[];
  /** Sentinels whose process is running, with their engines. */
  liveSentinels(): readonly { readonly ref: SentinelRef; readonly engine: EngineLike }[];
  /** Data nodes of one group. */
  dataNodes(group: string): readonly DataNodeState[];
}
