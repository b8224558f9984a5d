import { checkQuorum, majority, requiredVotes } from "../election/quorum.js";
import { linkDisconnected, type MasterRecord } from "../engine/records.js";
import type { SentinelEngine } from "../engine/sentinel-engine.js";
import { type ElectionVerdict, type ExplainSection, plural, shortId } from "./explanation.js";

/**
 * §10: the votes a leader needs (absolute majority of every known Sentinel and at least the
 * quorum), how many this Sentinel can reach now, its epochs and last vote, and the retry gate.
 */
export function explainElection(engine: SentinelEngine, m: MasterRecord, now: number): { verdict: ElectionVerdict; section: ExplainSection } {
  const quorum = m.settings.quorum;
  const voters = m.sentinels.size + 1;
  const required = requiredVotes(voters, quorum);
  let reachable = 1;
  let usable = 1;
  for (const s of m.sentinels.values()) {
    if (s.health.value === "sdown") continue;
    usable++;
    if (!linkDisconnected(s.link)) reachable++;
  }
  const fo = m.failover;
  // Voting for another Sentinel (or a past attempt) moves failover_start_time; a new attempt waits 2 × failover-timeout (§10.2, §11.1).
  const gateEnds = fo.context.startTime + 2 * m.settings.failoverTimeoutMs;
  const retryBlockedForMs = fo.value === "none" && fo.context.startTime !== 0 && gateEnds > now ? gateEnds - now : 0;
  const tilt = engine.inTilt();
  const couldBeElected = reachable >= required && !tilt;
  const lastVote = m.leader === null ? null : { leader: m.leader, epoch: m.leaderEpoch };
  const lines: string[] = [];
  lines.push(
    `Voters: ${plural(voters, "known Sentinel")} (this one included). A leader needs max(quorum ${quorum}, majority ${majority(voters)}) = ${plural(required, "vote")}.`,
  );
  lines.push(
    `Reachable now: ${reachable} (this Sentinel plus peers with a working link that are not SDOWN), so this Sentinel ${couldBeElected ? "could" : "could not"} be elected${tilt ? " (TILT: it does not act at all)" : ""}.`,
  );
  lines.push(checkQuorum({ usable, voters, quorum }).text.replace(/^OK /, "CKQUORUM OK: ").replace(/^NOQUORUM /, "CKQUORUM NOQUORUM: "));
  lines.push(`Epochs: current epoch ${engine.currentEpoch()}, config epoch of ${m.name} ${m.configEpoch}.`);
  if (lastVote === null) lines.push("Last vote: none recorded for this master.");
  else {
    const who = lastVote.leader === engine.myId ? `itself (${shortId(lastVote.leader)})` : shortId(lastVote.leader);
    lines.push(`Last vote: for ${who} in epoch ${lastVote.epoch}.`);
  }
  for (const s of m.sentinels.values()) {
    if (s.leader !== null) lines.push(`Peer ${shortId(s.runId)} voted for ${s.leader === engine.myId ? "this Sentinel" : shortId(s.leader)} in epoch ${s.leaderEpoch}.`);
  }
  if (fo.value !== "none") {
    lines.push(
      `Failover in progress: state ${fo.value}, epoch ${fo.context.failoverEpoch}${fo.context.forced ? " (forced by SENTINEL FAILOVER)" : ""}, in this state for ${now - fo.context.stateChangeTime} ms.`,
    );
  } else if (retryBlockedForMs > 0) {
    lines.push(
      `A new failover attempt is held back for ${retryBlockedForMs} ms more: 2 × failover-timeout (${2 * m.settings.failoverTimeoutMs} ms) must pass since the last attempt or the last vote for another Sentinel.`,
    );
  } else {
    lines.push("No failover is running; nothing holds back a new attempt once the master is ODOWN.");
  }
  return {
    verdict: { voters, requiredVotes: required, reachable, couldBeElected, currentEpoch: engine.currentEpoch(), configEpoch: m.configEpoch, lastVote, retryBlockedForMs },
    section: { title: "Could this Sentinel be elected?", lines },
  };
}
