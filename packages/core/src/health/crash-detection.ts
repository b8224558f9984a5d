/**
 * Crash detection (Vigil extension, `sentinel vigil-crash-down-after <master> <ms>`).
 *
 * A Redis process that died on a live host is not ambiguous the way silence is: the kernel closes or
 * resets its connections and refuses new ones at once. An instance whose every connection attempt is
 * actively refused for `crash-down-after` ms is SDOWN with cause `crash`, without waiting for
 * `down-after-milliseconds`. Silence of any kind (a hung or paused process, a partition, a host gone:
 * connect timeouts, unanswered PINGs) never feeds this rule and still waits for down-after.
 *
 * A restart ends the evidence: the first connection that opens (even one answered with `-LOADING`)
 * breaks the run of refusals, so a Redis that is back within `crash-down-after` is never SDOWN by
 * this rule (Sentinel's own `master-reboot-down-after-period` still applies to it).
 */

/**
 * How a connection ended or failed to open, as the transport saw it. The transport must classify
 * honestly: only what the peer's kernel said actively (`refused`, `reset`, `closed`) may count as a
 * crash; anything it cannot tell apart from silence is `timeout` or `other`.
 */
export type LinkFailure =
  /** A connection attempt was actively refused (RST to the SYN: ECONNREFUSED). Nothing listens. */
  | "refused"
  /** An open connection (or a handshake) was reset by the peer (ECONNRESET, EPIPE). */
  | "reset"
  /** The peer closed an open connection in order (EOF): a process exit, but also CLIENT KILL. */
  | "closed"
  /** No answer in time (connect timeout): a partition, a host gone, a paused machine. */
  | "timeout"
  /** Anything else (host unreachable, protocol or auth error, our own close). */
  | "other";

/**
 * The run of active refusals a link is in. `since` is the first failure of the run (a refusal, a
 * reset, or the orderly close that preceded them), `lastRefused` the latest refused or reset
 * connection attempt. Both 0 when there is no run.
 */
export interface RefusalRun {
  refusedSince: number;
  lastRefused: number;
}

/** Record a link failure of kind `failure` at `now` in `run`. */
export function noteLinkFailure(run: RefusalRun, failure: LinkFailure, now: number): void {
  switch (failure) {
    case "refused":
    case "reset":
      if (run.refusedSince === 0) run.refusedSince = now;
      run.lastRefused = now;
      return;
    case "closed":
      // A close alone proves nothing (CLIENT KILL, `timeout`); it starts the clock only so that a
      // crash is measured from the moment the connection went away, and refusals must follow.
      if (run.refusedSince === 0) run.refusedSince = now;
      return;
    case "timeout":
    case "other":
      // Silence or an ambiguous error: not a crash. The no-reply rule (down-after) takes over.
      endRefusalRun(run);
      return;
  }
}

/** A connection opened (the instance is accepting again, even if only to answer `-LOADING`). */
export function endRefusalRun(run: RefusalRun): void {
  run.refusedSince = 0;
  run.lastRefused = 0;
}

/** For how long the run has proven active refusal: first failure to latest refusal (0 = no proof). */
export function refusedForMs(run: RefusalRun): number {
  if (run.refusedSince === 0 || run.lastRefused === 0) return 0;
  return run.lastRefused - run.refusedSince;
}

/** The crash rule: on (`crashDownAfterMs` > 0) and refused for at least that long. */
export function crashRuleHolds(refusedMs: number, crashDownAfterMs: number): boolean {
  return crashDownAfterMs > 0 && refusedMs > 0 && refusedMs >= crashDownAfterMs;
}

/** Fewest milliseconds between reconnection attempts while a refusal run is being timed. */
export const MIN_CRASH_RETRY_MS = 10;

/**
 * How often to try reconnecting a down link (§2: once per ping period). While the crash rule is on
 * and the link is in a refusal run, five attempts per `crash-down-after`: the run needs a refusal at
 * its far end to prove anything, and each attempt costs one refused SYN.
 */
export function reconnectPeriod(run: RefusalRun, crashDownAfterMs: number, pingPeriod: number): number {
  if (crashDownAfterMs <= 0 || run.refusedSince === 0) return pingPeriod;
  return Math.min(pingPeriod, Math.max(MIN_CRASH_RETRY_MS, Math.floor(crashDownAfterMs / 5)));
}

/**
 * When a down link may next try to reconnect: one {@link reconnectPeriod} after the last attempt,
 * and, while a refusal run is timed but not yet proven, no later than the instant its window
 * closes (so the proving refusal is not up to a period late).
 */
export function nextReconnectAt(run: RefusalRun, lastReconnTime: number, crashDownAfterMs: number, pingPeriod: number): number {
  const periodic = lastReconnTime + reconnectPeriod(run, crashDownAfterMs, pingPeriod);
  if (crashDownAfterMs <= 0 || run.refusedSince === 0 || refusedForMs(run) >= crashDownAfterMs) return periodic;
  return Math.max(lastReconnTime + MIN_CRASH_RETRY_MS, Math.min(periodic, run.refusedSince + crashDownAfterMs));
}

/**
 * When the next reconnection attempt is due while the crash rule times a refusal run (not before
 * `now`); +Infinity when nothing is being timed, so a caller can always take the minimum.
 */
export function crashRetryAt(run: RefusalRun, lastReconnTime: number, crashDownAfterMs: number, pingPeriod: number, now: number): number {
  if (crashDownAfterMs <= 0 || run.refusedSince === 0) return Number.POSITIVE_INFINITY;
  return Math.max(now, nextReconnectAt(run, lastReconnTime, crashDownAfterMs, pingPeriod));
}
