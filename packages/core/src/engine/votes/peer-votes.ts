import { candidateRank, staggerSlot } from "../../election/campaign-stagger.js";
import { electedLeader, leadingCandidate, tallyVotes } from "../../election/leader-tally.js";
import { epochCannotElect, splitVoteBackoff } from "../../election/split-vote.js";
import { castVote } from "../../election/vote.js";
import { type Address, sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { applyFailover } from "../failover/failover-driver.js";
import { linkDisconnected, type MasterRecord, type SentinelRecord } from "../records.js";
import { actNow } from "../tick/tick-walk.js";

/** §9.2: ask every peer about an SDOWN master (forced: right after starting a failover). */
export function askPeers(c: EngineContext, m: MasterRecord, forced: boolean): void {
  const inFailover = m.failover.value !== "none";
  // A switchover campaigns while the master is up: its vote requests go out without SDOWN.
  const campaigning = m.failover.value === "wait_start" && m.failover.context.coordinated;
  for (const s of m.sentinels.values()) {
    if (c.now - s.lastMasterDownReplyTime > 5 * c.timing.askPeriod) {
      s.masterDown = false;
      s.leader = null;
    }
    if ((m.health.value !== "sdown" && !campaigning) || linkDisconnected(s.link)) continue;
    if (!forced && c.now - s.lastMasterDownReplyTime < c.timing.askPeriod) continue;
    if (!forced && c.now - s.lastAskTime < c.timing.askPeriod) continue; // one question in flight per period
    sendAsk(c, m, s, inFailover);
  }
}

function sendAsk(c: EngineContext, m: MasterRecord, s: SentinelRecord, inFailover: boolean): void {
  s.lastAskTime = c.now;
  s.link.pending++;
  c.cmd({
    kind: "ask-master-down",
    addr: s.addr,
    master: m.name,
    // Vote requests carry the epoch we campaign in, not a later current epoch (see electionOutcome).
    args: [m.addr.host, String(m.addr.port), String(inFailover ? m.failover.context.failoverEpoch : c.epoch), inFailover ? c.myId : "*"],
  });
}

/**
 * Eager mode: a peer's `*` probe says it sees the master SDOWN now (a sentinel only asks then, §9.2).
 * If that peer told us "not down" a moment ago, ask again at once instead of an ask period later:
 * its agreement is what our ODOWN waits for. (The probe does not say who sent it: ask every peer
 * that has not agreed, at most one question in flight each.)
 */
function reaskDoubters(c: EngineContext, m: MasterRecord): void {
  if (!c.timing.eager || m.odown.value === "odown" || m.failover.value !== "none") return;
  for (const s of m.sentinels.values()) {
    if (s.masterDown || linkDisconnected(s.link) || s.lastAskTime > s.lastMasterDownReplyTime) continue;
    sendAsk(c, m, s, false);
  }
}

export function onAskReply(c: EngineContext, addr: Address, masterName: string, reply: unknown): void {
  const m = c.masters.get(masterName);
  if (!m) return;
  const s = [...m.sentinels.values()].find((x) => sameAddress(x.addr, addr));
  if (!s) return;
  if (s.link.pending > 0) s.link.pending--;
  if (s.lastAskTime !== 0) s.askRttMs = c.now - s.lastAskTime;
  if (!Array.isArray(reply) || reply.length !== 3) return;
  const [down, leader, leaderEpoch] = reply as unknown[];
  if (typeof down !== "number" || typeof leader !== "string" || typeof leaderEpoch !== "number") return;
  s.lastMasterDownReplyTime = c.now;
  s.masterDown = down === 1;
  if (leader !== "*") {
    s.leader = leader;
    s.leaderEpoch = leaderEpoch;
  }
  actNow(c, m);
}

/** §10.2 with events and persistence. */
export function vote(c: EngineContext, m: MasterRecord, reqEpoch: number, runId: string): void {
  const outcome = castVote({ currentEpoch: c.epoch, leader: m.leader, leaderEpoch: m.leaderEpoch }, reqEpoch, runId, c.faults.voteTwicePerEpoch === true);
  if (outcome.epochRaised) {
    c.epoch = outcome.state.currentEpoch;
    c.markDirty();
    c.emit("+new-epoch", "warning", `${c.epoch}`);
  }
  if (outcome.voted) {
    m.leader = outcome.state.leader;
    m.leaderEpoch = outcome.state.leaderEpoch;
    c.markDirty();
    c.emit("+vote-for-leader", "warning", `${m.leader} ${m.leaderEpoch}`, m);
    if (m.leader !== c.myId) {
      // Voting for someone else blocks our own attempt for 2 × failover-timeout (§10.2).
      applyFailover(c, m, { type: "DEFER", startTime: c.now + c.desync() });
    }
  }
}

/** §10.3: are we the elected leader for this failover's epoch; is the epoch provably split? */
export function electionOutcome(c: EngineContext, m: MasterRecord): { won: boolean; retryAt: number | null } {
  const epoch = m.failover.context.failoverEpoch;
  // Deliberate fix of a Sentinel quirk (§23): peers' votes count only when cast in the epoch we
  // campaign in. Matching them against a later *current* epoch (raised meanwhile by another
  // master's failover) let the simulator elect a leader without an epoch majority.
  const tally = tallyVotes(m.sentinels.values(), epoch);
  vote(c, m, epoch, leadingCandidate(tally) ?? c.myId);
  if (m.leaderEpoch === epoch && m.leader !== null) tally.set(m.leader, (tally.get(m.leader) ?? 0) + 1);
  const won = electedLeader(tally, m.sentinels.size + 1, m.settings.quorum) === c.myId;
  const split = !won && epochCannotElect(tally, m.sentinels.size + 1, m.settings.quorum);
  return { won, retryAt: split ? c.now + splitVoteBackoff(c.prng, c.timing, candidateRank(tally, c.myId), staggerSlot(m.sentinels.values())) : null };
}

/**
 * Serve a peer's `SENTINEL IS-MASTER-DOWN-BY-ADDR ip port epoch runid` (§9.3): our SDOWN opinion,
 * and with a runid our vote for that epoch (cast here, persisted before the reply).
 */
export function answerIsMasterDown(c: EngineContext, ip: string, port: number, reqEpoch: number, runId: string): [number, string, number] {
  const m = [...c.masters.values()].find((x) => sameAddress(x.addr, { host: ip, port }));
  if (!m) return [0, "*", 0];
  const down = !c.inTilt() && m.health.value === "sdown" ? 1 : 0;
  if (runId === "*") {
    if (down === 1) {
      m.lastPeerProbe = c.now;
      reaskDoubters(c, m);
    }
    return [down, "*", 0];
  }
  vote(c, m, reqEpoch, runId);
  return [down, m.leader ?? "*", m.leaderEpoch];
}
