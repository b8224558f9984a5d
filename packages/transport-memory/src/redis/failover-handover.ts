import type { Address } from "@vigil/core";
import type { ReconfigureOrigin } from "./protocol.js";

/** `master_failover_state` values, as Redis 6.2+ reports them. */
export type HandoverState = "no-failover" | "waiting-for-sync" | "failover-in-progress";

/**
 * The simulated Redis's `FAILOVER TO <host> <port> TIMEOUT <ms>`, as far as a coordinated switchover
 * needs it: writes are refused (Redis pauses them; a paused write is never acknowledged either) while
 * the master waits for the target's acknowledged offset to reach its own, then the master becomes a
 * replica of the target and asks it, with `PSYNC FAILOVER`, to become the master. Past the timeout
 * while still waiting, or on `FAILOVER ABORT`, everything returns to normal.
 */
export class FailoverHandover {
  state: HandoverState = "no-failover";
  target: Address | null = null;
  /** Who asked (the sentinel and epoch), handed to the target's promotion for the checkers. */
  origin: ReconfigureOrigin | undefined;
  private deadline = 0;

  /** `FAILOVER TO`: the error text, or null when it started. */
  start(role: "master" | "slave", targetIsReplica: boolean, target: Address, timeoutMs: number, now: number, origin: ReconfigureOrigin | undefined): string | null {
    if (role !== "master") return "ERR FAILOVER is not valid when server is a replica.";
    if (this.state !== "no-failover") return "ERR FAILOVER already in progress.";
    if (!targetIsReplica) return "ERR FAILOVER target HOST and PORT is not a replica.";
    this.state = "waiting-for-sync";
    this.target = target;
    this.origin = origin;
    this.deadline = now + timeoutMs;
    return null;
  }

  /**
   * Each cron: `"hand-over"` when the target has caught up (the caller demotes itself and sends
   * `PSYNC FAILOVER`), `"abort"` past the deadline, `"wait"` otherwise.
   */
  poll(now: number, targetAck: number | null, offset: number): "hand-over" | "abort" | "wait" {
    if (this.state !== "waiting-for-sync") return "wait";
    if (targetAck !== null && targetAck >= offset) {
      this.state = "failover-in-progress";
      return "hand-over";
    }
    return now > this.deadline ? "abort" : "wait";
  }

  /** `FAILOVER ABORT`, the timeout, or the hand-over's end: back to normal. */
  clear(): void {
    this.state = "no-failover";
    this.target = null;
    this.origin = undefined;
  }

  /** Writes are held back (here: refused) from `FAILOVER TO` until the hand-over ends. */
  pausesWrites(): boolean {
    return this.state !== "no-failover";
  }
}
