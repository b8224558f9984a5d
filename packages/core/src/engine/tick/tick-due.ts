import { nextReconnectAt } from "../../health/crash-detection.js";
import { pingInterval, type Timing } from "../../settings/timing.js";
import { type InstanceRecord, linkDisconnected, linkSaturated, type MasterRecord, type ReplicaRecord, silentSince } from "../records.js";

/**
 * How far ahead a no-reply deadline gets its own eager `wake` (ms): more than the daemon's 100 ms
 * tick. A walk schedules it only within this horizon, so a subtree is due again this long before
 * each SDOWN deadline.
 */
export const WAKE_HORIZON_MS = 200;

/**
 * INFO period for `inst` (§5): the fast period for a replica whose master is in trouble or whose own
 * master link is down, the normal one otherwise. Shared by the walk and its due time.
 */
export function infoPeriodFor(inst: MasterRecord | ReplicaRecord, masterTrouble: boolean, timing: Timing): number {
  // An instance in a FAILOVER hand-over is followed closely: it either completes in a round trip or is stuck.
  const handingOver = inst.failoverState !== null && inst.failoverState !== "no-failover";
  const fast = handingOver || (inst.kind === "replica" && (masterTrouble || inst.masterLinkDownTime !== 0));
  return fast ? timing.fastInfoPeriod : timing.infoPeriod;
}

/**
 * The earliest time at which a tick's walk of `m`'s subtree (reconnect, drop idle links, INFO / PING /
 * hello, SDOWN, the stale-vote reset of `askPeers`) could do anything, given no input arrives before.
 * Conservative: it may be early (the walk then finds nothing to do), never late. Each term is the
 * moment a `now - t > period` condition of that walk can first hold.
 *
 * Returns `now` (walk on every tick) while the master is in any kind of trouble or a link is saturated:
 * those paths react to replies that do not reset the due time, and they are rare.
 *
 * Why: with hundreds of masters, walking every record on every 100 ms tick was the largest part of
 * the engine's steady-state CPU, although each record has something to do about once a second.
 */
export function subtreeDueAt(m: MasterRecord, timing: Timing, now: number): number {
  if (
    m.health.value === "sdown" ||
    m.odown.value === "odown" ||
    m.failover.value !== "none" ||
    m.startAt !== null ||
    m.settings.fenceWrites ||
    m.roleReported === "slave" ||
    m.reboot
  ) {
    return now;
  }
  const interval = pingInterval(timing, m.settings.downAfterMs);
  let due = recordDueAt(m, m, timing, interval);
  for (const r of m.replicas.values()) {
    if (r.health.value === "sdown") return now;
    due = Math.min(due, recordDueAt(r, m, timing, interval));
  }
  for (const s of m.sentinels.values()) {
    if (s.health.value === "sdown") return now;
    due = Math.min(due, recordDueAt(s, m, timing, interval));
    // askPeers forgets a peer's down verdict and vote 5 ask-periods after its last reply.
    if (s.masterDown || s.leader !== null) due = Math.min(due, s.lastMasterDownReplyTime + 5 * timing.askPeriod);
  }
  return due;
}

/** One record's terms: the mirror of `reconnect`, `dropIdle`, `sendPeriodic` and `checkSdown`. */
function recordDueAt(inst: InstanceRecord, m: MasterRecord, timing: Timing, interval: number): number {
  const l = inst.link;
  let due = Number.POSITIVE_INFINITY;
  if (inst.addr.port !== 0) {
    const half = m.settings.downAfterMs / 2;
    const minAge = timing.minLinkReconnectPeriod;
    if (l.cmd === "up" && l.actPingTime !== 0) due = Math.min(due, Math.max(l.cmdConnTime + minAge, l.actPingTime + half, l.lastPongTime + half));
    if (l.pubsub === "up") due = Math.min(due, Math.max(l.pcConnTime + minAge, l.pcLastActivity + 3 * timing.publishPeriod));
    if (l.cmd === "down" || (l.peer === "instance" && l.pubsub === "down")) {
      due = Math.min(due, nextReconnectAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, timing.pingPeriod));
    }
  }
  if (!linkDisconnected(l)) {
    if (linkSaturated(l)) return Number.NEGATIVE_INFINITY;
    if (inst.kind !== "sentinel" && !l.infoInFlight) {
      // Not in trouble here: subtreeDueAt returned `now` for a master in trouble.
      due = Math.min(due, inst.infoRefresh === 0 ? 0 : inst.infoRefresh + infoPeriodFor(inst, false, timing));
    }
    due = Math.min(due, Math.max(l.lastPongTime + interval, l.lastPingTime + interval / 2));
    due = Math.min(due, inst.lastPubTime + timing.publishPeriod);
  }
  const since = silentSince(l);
  if (since !== null) due = Math.min(due, since + m.settings.downAfterMs - WAKE_HORIZON_MS);
  return due;
}
