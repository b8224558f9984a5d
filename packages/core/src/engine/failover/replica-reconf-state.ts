import type { ReplicaRecord } from "../records.js";

/**
 * Where one replica is in being re-pointed at the promoted replica during a failover (§11.6):
 * `none` → `sent` (SLAVEOF sent) → `inprog` (its INFO names the promoted replica) → `done` (its
 * master link is up, or the sent command timed out). The names are Sentinel's flags
 * (`reconf_sent`, `reconf_inprog`, `reconf_done`), which `instanceFlags` and the API show.
 */
export type ReconfPhase = "none" | "sent" | "inprog" | "done";

/** The only moves a replica's {@link ReconfPhase} makes; every write of `reconf` goes through one. */
export type ReconfTransition =
  /** SLAVEOF sent by the parallel-syncs walk (records the send time for the timeout). */
  | "send"
  /** SLAVEOF sent by the best-effort pass after the failover timeout (no timeout to track). */
  | "send-best-effort"
  /** Its INFO shows it following the promoted replica. */
  | "following-promoted"
  /** Its master link is up: synced with the promoted replica. */
  | "link-up"
  /** No progress within `slaveReconfTimeout` of the send: given up on (counted as done). */
  | "timeout";

const MOVES: Readonly<Record<ReconfTransition, { readonly from: readonly ReconfPhase[]; readonly to: ReconfPhase }>> = {
  send: { from: ["none"], to: "sent" },
  "send-best-effort": { from: ["none", "inprog"], to: "sent" },
  "following-promoted": { from: ["sent"], to: "inprog" },
  "link-up": { from: ["inprog"], to: "done" },
  timeout: { from: ["sent"], to: "done" },
};

/** Whether `move` applies to a replica in `phase`. */
export function reconfCan(phase: ReconfPhase, move: ReconfTransition): boolean {
  return MOVES[move].from.includes(phase);
}

/** Apply `move` to `r` (at `now`); false, and nothing changes, when the move does not apply. */
export function reconfMove(r: ReplicaRecord, move: ReconfTransition, now: number): boolean {
  if (!reconfCan(r.reconf, move)) return false;
  r.reconf = MOVES[move].to;
  if (move === "send") r.reconfSentTime = now;
  return true;
}

/** A SLAVEOF of this failover is out and not yet confirmed (counts against `parallel-syncs`). */
export function reconfPending(phase: ReconfPhase): boolean {
  return phase === "sent" || phase === "inprog";
}
