import type { EngineInput, EngineOutput, PersistedState } from "@vigil/core";
import type { ReconfigureOrigin } from "../redis/protocol.js";
import type { EngineLike } from "../sentinel/engine-like.js";

/** A sentinel as observers see it. */
export interface SentinelRef {
  /** Short name in traces (`s1`, `s2`, ...). */
  readonly name: string;
  /** Its myid (stable across restarts). */
  readonly myId: string;
}

/** Which engine entry point produced an output. */
export type OutputOrigin = "start" | "step" | "vote-request" | "failover-api";

/** One engine call and what it produced. */
export interface SentinelObservation {
  /** Virtual time (the simulator's true clock, not the sentinel's possibly skewed one). */
  readonly time: number;
  /** The sentinel's own clock reading passed to the engine. */
  readonly localTime: number;
  readonly sentinel: SentinelRef;
  readonly origin: OutputOrigin;
  /** The input, for `step`. */
  readonly input?: EngineInput;
  /** Result of `failover-api` calls (`ok`, `inprog`, ...). */
  readonly result?: string;
  readonly output: EngineOutput;
  /** The engine after the call (read its view here, synchronously). */
  readonly engine: EngineLike;
}

/** A data node applied `SLAVEOF NO ONE` from a reconfiguration transaction. */
export interface PromotionObservation {
  readonly time: number;
  /** `host:port` of the node. */
  readonly node: string;
  /** The master group it belongs to. */
  readonly master: string;
  /** Who sent it and in which failover epoch (absent if sent by something else than a sentinel). */
  readonly origin: ReconfigureOrigin | undefined;
  /** It was a replica before (false when it already was a master). */
  readonly changedRole: boolean;
}

/** An application write and its outcome. */
export interface WriteObservation {
  readonly time: number;
  readonly writer: string;
  readonly master: string;
  /** The node the client sent it to (`host:port`). */
  readonly node: string;
  readonly key: string;
  readonly id: number;
  /** `ok` = acknowledged; otherwise the error text, or `timeout` / `closed` (outcome unknown). */
  readonly outcome: string;
}

/**
 * Hooks into a running cluster. Checkers, statistics and traces are observers; every method is
 * optional and called synchronously, so an observer sees the state exactly as of the observation.
 */
export interface SimObserver {
  onSentinelOutput?(o: SentinelObservation): void;
  /** A sentinel wrote its state to its simulated disk. */
  onPersist?(sentinel: SentinelRef, state: PersistedState, time: number): void;
  /** A sentinel process started again (new engine from its disk). */
  onSentinelRestart?(sentinel: SentinelRef, time: number): void;
  onPromotion?(p: PromotionObservation): void;
  onWrite?(w: WriteObservation): void;
}
