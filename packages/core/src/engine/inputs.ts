import type { LinkFailure } from "../health/crash-detection.js";
import type { Address } from "../util/address.js";

/** The two connections Sentinel keeps to a Redis instance; peers get only `cmd` (§4). */
export type LinkKind = "cmd" | "pubsub";

/**
 * Everything that can happen to a sentinel, as data. Each input carries `now` (wall-clock ms as the
 * transport sees it); the engine never reads a clock. Replies are matched to instances by address.
 */
export type EngineInput =
  /** Periodic timer (Sentinel runs every 50–100 ms; Vigil transports tick every 10–100 ms). */
  | { readonly kind: "tick"; readonly now: number }
  /** A connection was established; `localHost` is our side's address (used as hello ip, §7.1). */
  | { readonly kind: "link-up"; readonly now: number; readonly addr: Address; readonly link: LinkKind; readonly localHost?: string }
  /**
   * A connection failed or closed. `failure` says how, as the transport saw it: only `refused`,
   * `reset` and `closed` may feed crash detection (`vigil-crash-down-after`); report anything that
   * might be silence as `timeout` or `other`.
   */
  | { readonly kind: "link-down"; readonly now: number; readonly addr: Address; readonly link: LinkKind; readonly error: string; readonly failure: LinkFailure }
  /** Reply to PING: the status text (`PONG`) or the error text (`LOADING ...`, `NOAUTH ...`). */
  | { readonly kind: "ping-reply"; readonly now: number; readonly addr: Address; readonly reply: string }
  /** Reply to INFO: the text, or `null` for an error reply. */
  | { readonly kind: "info-reply"; readonly now: number; readonly addr: Address; readonly text: string | null }
  /** Reply to our hello PUBLISH. */
  | { readonly kind: "publish-reply"; readonly now: number; readonly addr: Address; readonly ok: boolean }
  /**
   * A hello payload: from the pub/sub connection of instance `via`, or (`via` = null) published to our
   * own API by a peer with `PUBLISH __sentinel__:hello` (§17.3).
   */
  | { readonly kind: "hello"; readonly now: number; readonly via: Address | null; readonly payload: string }
  /** Reply of peer `addr` to `SENTINEL is-master-down-by-addr` about master `master` (raw; validated here). */
  | { readonly kind: "ask-reply"; readonly now: number; readonly addr: Address; readonly master: string; readonly reply: unknown }
  /** The reconfiguration transaction (§21.2) to `addr` got its EXEC reply (`ok` = no transport error). */
  | { readonly kind: "reconfigure-reply"; readonly now: number; readonly addr: Address; readonly ok: boolean }
  /** The master `addr` answered our `FAILOVER TO`: `error` is its error text, null for `+OK`. */
  | { readonly kind: "handover-reply"; readonly now: number; readonly addr: Address; readonly error: string | null };
