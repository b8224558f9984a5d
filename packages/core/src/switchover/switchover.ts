import type { Address } from "../util/address.js";

/**
 * A coordinated switchover (`SENTINEL FAILOVER <master> COORDINATED`, Valkey 9's design): a failover
 * that the leader carries out through the live master's own `FAILOVER TO <replica> TIMEOUT <ms>`,
 * so the master pauses writes, lets the replica catch up and hands over without losing an
 * acknowledged write. It runs inside the failover state machine (§11) with two differences: the
 * election is held even though the master is not down (no forced skip), and the promotion step sends
 * `FAILOVER TO` to the master instead of `SLAVEOF NO ONE` to the replica.
 *
 * Phases, as `vigil explain` and the metrics show them:
 * - `electing`: a new epoch, asking the peers for their vote (one leader per epoch, as for any failover);
 * - `selecting`: elected, choosing the replica (the requested one, or the ranking's best);
 * - `handing-over`: `FAILOVER TO` sent, waiting for the replica to report `role:master`;
 * - `reconfiguring`: promoted; the other replicas are being pointed at it, then `+switch-master`.
 */
export type SwitchoverPhase = "electing" | "selecting" | "handing-over" | "reconfiguring";

/** Why a switchover ended without a switch. Each is also the `#reason` of `-switchover-abort`. */
export type SwitchoverAbortReason =
  /** No majority voted for us in the switchover's epoch. */
  | "not-elected"
  /** The requested replica (or any replica) was not eligible when the leader chose. */
  | "no-good-slave"
  /** The master answered `FAILOVER TO` with an error (the reason carries it). */
  | "handover-refused"
  /** The replica did not report `role:master` within the timeout: `FAILOVER ABORT` was sent. */
  | "handover-timeout"
  /** The master's or the replica's connection went away before `FAILOVER TO` could be sent. */
  | "link-lost"
  /** The failover was cut short by `SENTINEL RESET` or a newer configuration. */
  | "superseded";

/** One switchover, in progress (`outcome` null) or finished (kept for explain and metrics). */
export interface Switchover {
  /** The epoch the switchover campaigns in. */
  readonly epoch: number;
  /** The replica asked for (`--to`), or null to let the ranking choose. */
  readonly requestedTo: Address | null;
  /** The `TIMEOUT` given to `FAILOVER TO` (ms). */
  readonly timeoutMs: number;
  readonly startedAt: number;
  phase: SwitchoverPhase;
  /** The replica the master hands over to, once chosen. */
  target: Address | null;
  /** When `FAILOVER TO` was sent (null before). */
  handoverSentAt: number | null;
  outcome: "completed" | "aborted" | null;
  reason: SwitchoverAbortReason | null;
  /** Free text for `handover-refused` (the master's error). */
  detail: string | null;
  finishedAt: number | null;
}

/** `FAILOVER TO … TIMEOUT` when the caller gives none (ms): long enough for a replica a few MB behind. */
export const DEFAULT_HANDOVER_TIMEOUT_MS = 5000;

/**
 * After `TIMEOUT` the master aborts `FAILOVER` by itself while it still waits for the replica to catch
 * up. The leader waits this much longer for the replica's `role:master` before sending its own
 * `FAILOVER ABORT`, so a hand-over completing at the last moment is not cut.
 */
export const HANDOVER_GRACE_MS = 1000;

/**
 * The hand-over timeout of a switchover: the one asked for (default {@link DEFAULT_HANDOVER_TIMEOUT_MS}),
 * capped so the failover machine's own wait_promotion timeout (failover-timeout) never cuts the grace.
 */
export function handoverTimeoutMs(requested: number | undefined, failoverTimeoutMs: number): number {
  return Math.max(1, Math.min(requested ?? DEFAULT_HANDOVER_TIMEOUT_MS, failoverTimeoutMs - HANDOVER_GRACE_MS));
}

/**
 * A `handover-reply` error starting with this word means the replica did not catch up within the
 * hand-over's timeout (the transport gave up and resumed the master's writes): a `handover-timeout`.
 */
export const HANDOVER_TIMEOUT_ERROR = "TIMEOUT";

/** The abort reason of a `handover-reply` error. */
export function handoverErrorReason(error: string): SwitchoverAbortReason {
  return error.startsWith(`${HANDOVER_TIMEOUT_ERROR} `) ? "handover-timeout" : "handover-refused";
}

/**
 * Whether a master is known not to have `FAILOVER` (its INFO was read and has no
 * `master_failover_state`). Checked first, before `-INPROG`, as Valkey 9 does.
 */
export function lacksFailoverCommand(infoSeen: boolean, masterFailoverState: string | null): boolean {
  return infoSeen && masterFailoverState === null;
}

/** A new switchover in its `electing` phase. */
export function startSwitchover(epoch: number, now: number, requestedTo: Address | null, timeoutMs: number): Switchover {
  return { epoch, requestedTo, timeoutMs, startedAt: now, phase: "electing", target: null, handoverSentAt: null, outcome: null, reason: null, detail: null, finishedAt: null };
}

/** Whether the hand-over has run past its timeout (plus grace): time to send `FAILOVER ABORT`. */
export function handoverExpired(s: Switchover, now: number): boolean {
  return s.phase === "handing-over" && s.handoverSentAt !== null && now - s.handoverSentAt > s.timeoutMs + HANDOVER_GRACE_MS;
}

/** Mark `s` finished. */
export function finishSwitchover(s: Switchover, now: number, outcome: "completed" | "aborted", reason: SwitchoverAbortReason | null = null, detail: string | null = null): void {
  s.outcome = outcome;
  s.reason = reason;
  s.detail = detail;
  s.finishedAt = now;
}

const ABORT_REASONS: Readonly<Record<string, SwitchoverAbortReason>> = {
  "-failover-abort-not-elected": "not-elected",
  "-failover-abort-no-good-slave": "no-good-slave",
  "-failover-abort-slave-timeout": "link-lost",
  "-failover-abort-switchover": "superseded",
};

/** The switchover abort reason of a failover machine event, or null when it is no abort. */
export function abortReasonOf(eventType: string): SwitchoverAbortReason | null {
  return ABORT_REASONS[eventType] ?? null;
}

/**
 * `master_failover_state` values (Redis 6.2+ / Valkey INFO replication). An instance whose INFO has no
 * such line does not know the `FAILOVER` command.
 */
export type MasterFailoverState = "no-failover" | "waiting-for-sync" | "failover-in-progress";

/**
 * Whether an instance reports a `FAILOVER` hand-over under way: it pauses writes until it ends, and a
 * paused connection holds every command queued behind a write (a hello PUBLISH) as well.
 */
export function inFailoverHandover(state: string | null): boolean {
  return state !== null && state !== "no-failover";
}

/**
 * Whether an instance has been in a `FAILOVER` hand-over for too long and nobody will finish it: a
 * target paused mid-hand-over, a `FAILOVER … FORCE` with no timeout, a leader that died. While it
 * lasts the instance pauses writes (`waiting-for-sync`) or is neither master nor replica of anyone
 * useful (`failover-in-progress`). Vigil then sends `FAILOVER ABORT`, which makes it a writable
 * master again with all its data.
 *
 * `failover-in-progress` normally lasts one round trip (the `PSYNC FAILOVER`), so half of
 * `down-after` is patience enough; `waiting-for-sync` is bounded by the hand-over's own `TIMEOUT`, which a
 * switchover never sets beyond `failover-timeout`.
 */
export function stuckInFailover(state: string | null, since: number, now: number, downAfterMs: number, failoverTimeoutMs: number): boolean {
  if (!inFailoverHandover(state)) return false;
  // Half of down-after: the hand-over's write pause also holds our hello PUBLISH, and the PINGs
  // queued behind it, so the master would go SDOWN (and be failed over) at down-after.
  const patience = state === "failover-in-progress" ? downAfterMs / 2 : failoverTimeoutMs;
  return now - since > patience;
}

/** What the API answers when a switchover cannot start (besides Sentinel's INPROG / NOGOODSLAVE). */
export type SwitchoverRefusal = "not-supported" | "master-down" | "nogoodslave" | "no-such-replica";

/** The facts {@link switchoverRefusal} decides on, gathered by the engine. */
export interface SwitchoverPreconditions {
  /** The master's cmd link is up, it is not SDOWN, and its last INFO said `role:master`. */
  readonly masterUsable: boolean;
  /** The master's last `master_failover_state` (null: not reported). */
  readonly masterFailoverState: string | null;
  /** Keys (`ip:port`) of the replicas the ranking accepts now, best first. */
  readonly eligible: readonly string[];
  /** Key of the replica asked for, or null. */
  readonly requested: string | null;
  /** Whether the requested key names a replica of this master at all. */
  readonly requestedKnown: boolean;
}

/**
 * Why a switchover must not start, or null. Checked before anything changes, so a refused request
 * bumps no epoch: a master without `FAILOVER` (Redis < 6.2) gets a clear error instead of a silent
 * uncoordinated promotion, and a master that is down is a case for a plain failover, not a hand-over.
 */
export function switchoverRefusal(p: SwitchoverPreconditions): SwitchoverRefusal | null {
  if (p.requested !== null && !p.requestedKnown) return "no-such-replica";
  if (!p.masterUsable) return "master-down";
  if (p.masterFailoverState === null) return "not-supported";
  if (p.requested !== null) return p.eligible.includes(p.requested) ? null : "nogoodslave";
  return p.eligible.length === 0 ? "nogoodslave" : null;
}
