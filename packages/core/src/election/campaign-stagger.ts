import { linkDisconnected, type SentinelRecord } from "../engine/records.js";
import type { Tally } from "./leader-tally.js";

/**
 * Campaign staggering: how long a sentinel that may start a failover waits, by rank, so that the
 * first candidate's vote request reaches the others before they campaign themselves (a split vote
 * needs every candidate to start before any request arrives). A fixed slot works on an idle host;
 * on a loaded one a request takes longer than the slot to be read, so the slot follows the ask
 * round trips this sentinel measured.
 */

/** The smallest slot between two ranks (ms): a request's trip on an idle host, with room. */
export const MIN_STAGGER_SLOT_MS = 100;

/** The largest slot (ms): beyond this, waiting costs more than an occasional split. */
export const MAX_STAGGER_SLOT_MS = 1000;

/**
 * Slot between two ranks: twice the slowest recent `is-master-down-by-addr` round trip to a healthy
 * peer (a request out and a vote back), within [MIN_STAGGER_SLOT_MS, MAX_STAGGER_SLOT_MS].
 */
export function staggerSlot(peers: Iterable<Pick<SentinelRecord, "askRttMs" | "health">>): number {
  let slowest = 0;
  for (const s of peers) if (s.health.value !== "sdown" && s.askRttMs > slowest) slowest = s.askRttMs;
  return Math.min(MAX_STAGGER_SLOT_MS, Math.max(MIN_STAGGER_SLOT_MS, 2 * slowest));
}

/**
 * Our place among the healthy, connected sentinels of a master ordered by run id: rank r starts
 * its failover r slots after it may (the random jitter alone left splits under load in the
 * real-process fault tests).
 */
export function startRank(peers: Iterable<SentinelRecord>, myId: string): number {
  let rank = 0;
  for (const s of peers) if (s.runId < myId && s.health.value !== "sdown" && !linkDisconnected(s.link)) rank++;
  return rank;
}

/**
 * Our place among the candidates of a split epoch (the run ids that received votes), by run id:
 * after the split, rank r retries r slots later, so the lowest one's request arrives first.
 */
export function candidateRank(tally: Tally, myId: string): number {
  let rank = 0;
  for (const runId of tally.keys()) if (runId < myId) rank++;
  return rank;
}
