import type { SdownCause } from "../machines/instance-health.machine.js";
import type { ExclusionReason } from "../ranking/replica-ranking.js";

/** One titled block of an explanation: plain sentences an operator can read top to bottom. */
export interface ExplainSection {
  readonly title: string;
  readonly lines: readonly string[];
}

/** Is the master down in this Sentinel's eyes (§8), and why. */
export interface DownVerdict {
  readonly sdown: boolean;
  /** The recorded cause while SDOWN; `null` when up. */
  readonly cause: SdownCause | null;
  /** Milliseconds since SDOWN began (0 when up). */
  readonly sdownForMs: number;
  /** The silence measured now against `down-after-milliseconds` (§8 rule 1). */
  readonly elapsedMs: number;
  readonly downAfterMs: number;
  readonly tilt: boolean;
}

/** Which Sentinels agree that the master is down (§9). */
export interface AgreementVerdict {
  readonly odown: boolean;
  /** This Sentinel if it sees the master SDOWN, plus the peers whose last reply said down (0 for a healthy master). */
  readonly agreeing: number;
  readonly quorum: number;
  /** Run ids of the peers that currently say "down". */
  readonly agreeingPeers: readonly string[];
}

/** Could this Sentinel win an election for the master now (§10.3)? */
export interface ElectionVerdict {
  /** Every known Sentinel, this one included. */
  readonly voters: number;
  /** max(quorum, majority(voters)). */
  readonly requiredVotes: number;
  /** This Sentinel plus the peers it can reach (link up, not SDOWN). */
  readonly reachable: number;
  readonly couldBeElected: boolean;
  readonly currentEpoch: number;
  readonly configEpoch: number;
  /** This Sentinel's last vote for the master: leader run id and epoch. */
  readonly lastVote: { readonly leader: string; readonly epoch: number } | null;
  /** Milliseconds before a new attempt is allowed (2 × failover-timeout gate), 0 if none. */
  readonly retryBlockedForMs: number;
}

/** Which replica would be promoted, and why every other one is not (§12). */
export interface PromotionVerdict {
  /** `ip:port` of the replica §12 selects now, or null (`-NOGOODSLAVE`). */
  readonly promote: string | null;
  /** Eligible replicas, best first (includes `promote`). */
  readonly ranked: readonly string[];
  readonly excluded: ReadonlyArray<{ readonly key: string; readonly reason: ExclusionReason; readonly why: string }>;
}

/** The answer to `SENTINEL VIGIL-EXPLAIN <master>`: verdicts for programs, sections for people. */
export interface MasterExplanation {
  readonly master: string;
  readonly down: DownVerdict;
  readonly agreement: AgreementVerdict;
  readonly election: ElectionVerdict;
  readonly promotion: PromotionVerdict;
  readonly sections: readonly ExplainSection[];
}

/** Render sections as plain-text lines: a `== title ==` header, then the sentences, indented. */
export function sectionLines(sections: readonly ExplainSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`== ${s.title} ==`);
    for (const l of s.lines) out.push(`  ${l}`);
  }
  return out;
}

/** `1 vote`, `2 votes`: explanations are read by people. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Run ids are 40 hex characters; eight are enough to tell Sentinels apart in prose. */
export function shortId(runId: string | null): string {
  return runId === null ? "(unknown)" : runId.slice(0, 8);
}
