/** Absolute majority of `voters` (C: `voters/2 + 1`, integer division). */
export function majority(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * Votes a leader needs to be elected (§10.3): an absolute majority of all known Sentinels
 * (reachable or not, self included) and at least the configured quorum.
 */
export function requiredVotes(voters: number, quorum: number): number {
  return Math.max(quorum, majority(voters));
}

/** What CKQUORUM counts (§10.4). */
export interface CheckQuorumInput {
  /** 1 (self) + Sentinel records that are neither SDOWN nor ODOWN. */
  readonly usable: number;
  /** 1 (self) + all Sentinel records of the master. */
  readonly voters: number;
  /** The master's configured quorum. */
  readonly quorum: number;
}

/**
 * CKQUORUM verdict with its reply text (§17.1), without the RESP `+`/`-` marker: the success text
 * starts with `OK`, the failure text with the `NOQUORUM` error code.
 */
export type CheckQuorumResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string };

const NO_QUORUM = "Not enough available Sentinels to reach the specified quorum for this master";
const NO_AUTH = "Not enough available Sentinels to reach the majority and authorize a failover";

/**
 * SENTINEL CKQUORUM (§10.4): can the reachable Sentinels both reach the quorum (ODOWN) and the
 * majority (failover authorisation)? When both fail the two sentences are joined by `. `.
 */
export function checkQuorum(input: CheckQuorumInput): CheckQuorumResult {
  const { usable, voters, quorum } = input;
  const problems: string[] = [];
  if (usable < quorum) problems.push(NO_QUORUM);
  if (usable < majority(voters)) problems.push(NO_AUTH);
  if (problems.length === 0) {
    return { ok: true, text: `OK ${usable} usable Sentinels. Quorum and failover authorization can be reached` };
  }
  return { ok: false, text: `NOQUORUM ${usable} usable Sentinels. ${problems.join(". ")}` };
}
