import type { Address } from "../util/address.js";
import type { LinkKind } from "./inputs.js";
import type { PersistedState } from "./persisted-state.js";

/** Credentials for a link (`AUTH [user] pass`, §4). */
export interface LinkAuth {
  readonly user?: string;
  readonly pass: string;
}

/**
 * Effects the engine asks the transport to carry out, in order. Obligations are stated per command,
 * like etcd's `Ready`: the transport must honour them or safety is lost.
 */
export type EngineCommand =
  /**
   * Open a connection. On success report `link-up`, on failure `link-down`. The transport sends
   * `AUTH` (if `auth`), `CLIENT SETNAME <clientName>`, then for `pubsub` `SUBSCRIBE __sentinel__:hello`
   * (an error reply to SUBSCRIBE or AUTH closes the link: report `link-down`). `renames` maps lower-case
   * command names to the names to send (rename-command, §4).
   */
  | {
      readonly kind: "connect";
      readonly addr: Address;
      readonly link: LinkKind;
      readonly peer: "instance" | "sentinel";
      readonly clientName: string;
      readonly auth: LinkAuth | undefined;
      readonly renames: Readonly<Record<string, string>>;
    }
  /** Close a connection (credentials changed, reset, idle link). No `link-down` needs to follow. */
  | { readonly kind: "disconnect"; readonly addr: Address; readonly link: LinkKind }
  /** `PING` on the cmd link; report `ping-reply` (or `link-down`). */
  | { readonly kind: "ping"; readonly addr: Address }
  /** `INFO` on the cmd link; report `info-reply`. */
  | { readonly kind: "info"; readonly addr: Address }
  /** `PUBLISH __sentinel__:hello <payload>` on the cmd link; report `publish-reply`. */
  | { readonly kind: "publish-hello"; readonly addr: Address; readonly payload: string }
  /**
   * `SENTINEL is-master-down-by-addr <args...>` to peer `addr`; report `ask-reply` with `master`.
   * When `args[3]` is a runid this is a vote request.
   */
  | {
      readonly kind: "ask-master-down";
      readonly addr: Address;
      readonly master: string;
      readonly args: readonly [ip: string, port: string, epoch: string, runId: string];
    }
  /**
   * The reconfiguration transaction, pipelined on the cmd link (§21.2): `MULTI`, `SLAVEOF <target>`
   * (or `SLAVEOF NO ONE` when `target` is null), `CONFIG REWRITE`, `CLIENT KILL TYPE normal`,
   * `CLIENT KILL TYPE pubsub`, `EXEC`. Report `reconfigure-reply`.
   */
  | { readonly kind: "reconfigure"; readonly addr: Address; readonly target: Address | null }
  /**
   * Write fencing (Vigil extension): `CONFIG SET min-replicas-to-write <minReplicas>
   * min-replicas-max-lag <maxLagS>` on `addr`. The first time for an address the transport reads and
   * keeps the operator's values (`CONFIG GET`) so `lift-fences` can restore them.
   */
  | { readonly kind: "fence-writes"; readonly addr: Address; readonly minReplicas: number; readonly maxLagS: number }
  /**
   * Stale-master fence (Vigil extension, see `engine/fencing/stale-master-fence.ts`): `CONFIG GET min-replicas-*`,
   * then, unless already fenced, `CONFIG SET` the values `staleFenceFor` encodes, so `addr`
   * refuses writes until it is converted to a replica.
   */
  | {
      readonly kind: "fence-stale-master";
      readonly addr: Address;
      /**
       * Then `CLIENT KILL TYPE normal` (our own connection is skipped), after the fence is in place:
       * clients still writing to the demoted master reconnect through the sentinels (the client
       * contract) instead of collecting `-NOREPLICAS` until the conversion.
       */
      readonly disconnectClients?: boolean;
    }
  /**
   * Lift a stale-master fence from `addr` if it carries one (`operatorValuesOf`): `CONFIG SET`
   * the operator's values and `CONFIG REWRITE`, so a fence persisted by someone else's conversion never
   * outlives it. The `reconfigure` transaction does the same before its own `CONFIG REWRITE`.
   */
  | { readonly kind: "unfence-stale-master"; readonly addr: Address }
  /**
   * Vigil's watch over `addr` ended (REMOVE, RESET, the option turned off, clean shutdown; see
   * `engine/fencing/fence-lifting.ts`): lift its fences over a connection of the transport's own (with
   * `auth` and `renames`), since the link may be closing. `staleMaster`: restore the values a
   * stale-master fence encodes, if `addr` carries one. `writes`: restore the values read before the
   * first `fence-writes` on `addr`, if any were recorded. Then `CONFIG REWRITE` (a fence may have been
   * persisted by a conversion's rewrite). Best effort: an unreachable instance keeps what it has
   * (`vigil fences <addr> --lift` lifts a stale-master fence later). A transport that is shutting
   * down should wait for these before exiting.
   */
  | {
      readonly kind: "lift-fences";
      readonly addr: Address;
      readonly staleMaster: boolean;
      readonly writes: boolean;
      readonly auth: LinkAuth | undefined;
      readonly renames: Readonly<Record<string, string>>;
    }
  /**
   * Coordinated switchover: `FAILOVER TO <target.host> <target.port> TIMEOUT <timeoutMs>` on the cmd
   * link of the master `addr`; report `handover-reply`. The master pauses writes, waits for the
   * target to catch up, then hands over (Redis 6.2+ / Valkey).
   */
  | { readonly kind: "handover"; readonly addr: Address; readonly target: Address; readonly timeoutMs: number }
  /** `FAILOVER ABORT` on `addr` (reply ignored): end a hand-over that timed out or is stuck. */
  | { readonly kind: "abort-handover"; readonly addr: Address }
  /** `SCRIPT KILL` (reply ignored), sent once per SDOWN episode to a `-BUSY` instance. */
  | { readonly kind: "script-kill"; readonly addr: Address }
  /**
   * Write `state` durably (rewrite sentinel.conf, fsync) BEFORE executing any later command of the
   * same output or sending the reply of the API call that produced it: a vote must be on disk before
   * it is answered (§10.2).
   *
   * `deferrable`: only discovered topology changed since the last persist (a new replica or peer
   * sentinel, a peer's new address). Nothing later depends on it being on disk, and a restarted
   * sentinel rediscovers it from INFO and hellos, so a transport may coalesce such writes (Sentinel
   * rewrites the whole file for each one, which makes discovering N masters O(N²) in file writes).
   * A deferrable persist carries no state: the transport writes the engine's `persistedState()` when
   * it gets to it, so a burst of N discoveries does not copy the whole state N times.
   */
  | { readonly kind: "persist"; readonly state: PersistedState; readonly deferrable?: undefined }
  | { readonly kind: "persist"; readonly deferrable: true }
  /** Deliver a `tick` at (or soon after) `at`: the engine has a deadline sooner than the next periodic tick. */
  | { readonly kind: "wake"; readonly at: number }
  /** `SENTINEL SIMULATE-FAILURE`: the process must exit now with status 99 (after earlier commands). */
  | { readonly kind: "crash"; readonly reason: "crash-after-election" | "crash-after-promotion" }
  /** Queue a script run (§20): `notification` for WARNING events, `client-reconfig` on address changes. */
  | { readonly kind: "run-script"; readonly script: "notification" | "client-reconfig"; readonly path: string; readonly args: readonly string[] };
