import type { Timing } from "../settings/timing.js";
import type { Prng } from "../util/prng.js";
import type { Tally } from "./leader-tally.js";
import { requiredVotes } from "./quorum.js";

/**
 * Split votes (Vigil extension of §10.3). When several sentinels campaign in the same epoch, each
 * voter gives its one vote to whoever asked first, and the epoch may elect nobody. Sentinel then
 * waits for the election timeout and 2 × failover-timeout (6 minutes with the default 180 s) before
 * trying again. An epoch whose votes are all accounted for can be seen to be dead at once: this
 * module says when, and how long to back off before campaigning in a new epoch.
 */

/**
 * True when no candidate can reach the votes needed in this epoch, whatever the votes not yet known:
 * the best candidate's count plus every unknown vote stays below max(quorum, majority). `tally` holds
 * every vote known to be cast in the epoch (ours included), one per voter.
 */
export function epochCannotElect(tally: Tally, voters: number, quorum: number): boolean {
  let known = 0;
  let best = 0;
  for (const n of tally.values()) {
    known += n;
    if (n > best) best = n;
  }
  const unknown = Math.max(0, voters - known);
  return best + unknown < requiredVotes(voters, quorum);
}

/**
 * Back-off before the next attempt after a provably split epoch: one ask period, plus `rank` stagger
 * slots (our place among the split's candidates, campaign-stagger.ts), plus a random 0–4 desync
 * periods (fast profile 0–400 ms, Sentinel's periods 0–4 s) drawn from the engine's seeded PRNG. The
 * rank makes the lowest candidate's request arrive first; the randomness covers equal views.
 */
export function splitVoteBackoff(prng: Prng, timing: Pick<Timing, "askPeriod" | "maxDesync">, rank = 0, slotMs = 0): number {
  return timing.askPeriod + rank * slotMs + prng.int(4 * timing.maxDesync + 1);
}
