/** The part of a master's state the vote rule reads and writes. */
export interface VoteState {
  readonly currentEpoch: number;
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/** Result of a vote request (§10.2). */
export interface VoteOutcome {
  readonly state: VoteState;
  /** `current_epoch` was raised to the request's epoch (emit `+new-epoch`, persist). */
  readonly epochRaised: boolean;
  /** A new vote was cast in this call (persist before replying, emit `+vote-for-leader`). */
  readonly voted: boolean;
}

/**
 * §10.2: adopt a higher epoch, then grant at most one vote per master per epoch — first requester
 * wins; any later request in the same epoch gets the existing vote back. `allowRevote` exists only so
 * the simulator can prove its checkers catch a broken rule; production never sets it.
 */
export function castVote(s: VoteState, reqEpoch: number, reqRunId: string, allowRevote = false): VoteOutcome {
  let state = s;
  let epochRaised = false;
  if (reqEpoch > state.currentEpoch) {
    state = { ...state, currentEpoch: reqEpoch };
    epochRaised = true;
  }
  const notYetVoted = state.leaderEpoch < reqEpoch || (allowRevote && state.leaderEpoch === reqEpoch && state.leader !== reqRunId);
  if (notYetVoted && state.currentEpoch <= reqEpoch) {
    return { state: { ...state, leader: reqRunId, leaderEpoch: state.currentEpoch }, epochRaised, voted: true };
  }
  return { state, epochRaised, voted: false };
}
