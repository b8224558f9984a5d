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

/** Slots of patience per rank for a better-ranked peer that agrees the master is down. */
export const PATIENCE_SLOTS = 10;

/** Spacing of the campaign order: the slot between ranks and a fixed extra wait for non-first ranks. */
export interface CampaignSpacing {
  readonly slotMs: number;
  readonly spacingMs: number;
}

type Contender = Pick<SentinelRecord, "runId" | "masterDown" | "health" | "link">;

/**
 * When this sentinel may start campaigning for a master ODOWN since `odownSince`. The order is by
 * run id among the healthy, connected sentinels (every sentinel sees the same set while all are
 * up); rank r is the number of better-ranked such peers.
 *
 * - Rank 0 campaigns at once: nobody is ahead of it.
 * - A better-ranked peer that agrees the master is down (answered our last ask with 1) is about to
 *   campaign, or is campaigning and its vote request is on its way: rank r waits r × PATIENCE_SLOTS
 *   slots for it, long enough that only a silent (dead, stalled, cut off) peer lets us go. A fixed
 *   slot alone split votes on a starved CPU: a stalled process runs its expired timers before the
 *   vote request waiting on its socket.
 * - Better-ranked peers that do not agree (not yet SDOWN, or cannot see the crash) get r slots, plus
 *   `spacingMs`, then we go.
 * - A peer whose link is down (a crash refuses connections at once) or that is SDOWN is not ahead
 *   of anyone, so a sentinel that died with the master costs nothing.
 *
 * A peer's agreement lapses 5 ask periods after its last reply (`askPeers`), which bounds the wait
 * for a peer that stops answering. One vote per epoch is untouched: this only decides when to ask.
 */
export function campaignStartAt(peers: Iterable<Contender>, myId: string, odownSince: number, spacing: CampaignSpacing): number {
  let rank = 0;
  let agreeingAhead = false;
  for (const s of peers) {
    if (s.runId >= myId || s.health.value === "sdown" || linkDisconnected(s.link)) continue;
    rank++;
    if (s.masterDown) agreeingAhead = true;
  }
  if (rank === 0) return odownSince;
  if (agreeingAhead) return odownSince + rank * PATIENCE_SLOTS * spacing.slotMs;
  return odownSince + rank * spacing.slotMs + spacing.spacingMs;
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
