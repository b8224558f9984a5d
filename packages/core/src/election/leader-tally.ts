import { requiredVotes } from "./quorum.js";

/** A vote as reported by a peer in its last IS-MASTER-DOWN-BY-ADDR reply. */
export interface ReportedVote {
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/** Votes per candidate runid. */
export type Tally = Map<string, number>;

/** Count peers' votes cast in `epoch` (§10.3). */
export function tallyVotes(votes: Iterable<ReportedVote>, epoch: number): Tally {
  const tally: Tally = new Map();
  for (const v of votes) {
    if (v.leader !== null && v.leaderEpoch === epoch) tally.set(v.leader, (tally.get(v.leader) ?? 0) + 1);
  }
  return tally;
}

/**
 * The candidate with most votes. Sentinel breaks ties by hash-map order; we break them by the
 * smaller runid so that every run with the same inputs picks the same winner.
 */
export function leadingCandidate(tally: Tally): string | null {
  let best: string | null = null;
  let bestVotes = 0;
  for (const [runId, n] of tally) {
    if (n > bestVotes || (n === bestVotes && best !== null && runId < best)) {
      best = runId;
      bestVotes = n;
    }
  }
  return best;
}

/** §10.3: elected only with max(quorum, majority of all known voters) votes. */
export function electedLeader(tally: Tally, voters: number, quorum: number): string | null {
  const winner = leadingCandidate(tally);
  if (winner === null) return null;
  return (tally.get(winner) ?? 0) >= requiredVotes(voters, quorum) ? winner : null;
}
