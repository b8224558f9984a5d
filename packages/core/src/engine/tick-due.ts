import { pingInterval, type Timing } from "../settings/timing.js";
import { type InstanceRecord, linkDisconnected, type MasterRecord } from "./records.js";

/**
 * How long before an SDOWN deadline a subtree must be walked again: the engine's eager wake for that
 * deadline is only scheduled by a walk within its horizon (200 ms), and the daemon ticks every 100 ms.
 */
export const SDOWN_LOOKAHEAD_MS = 200;

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
    if (l.cmd === "down" || (l.peer === "instance" && l.pubsub === "down")) due = Math.min(due, l.lastReconnTime + timing.pingPeriod);
  }
  const disconnected = linkDisconnected(l);
  if (!disconnected) {
    if (l.pending >= 100 * l.refcount) return Number.NEGATIVE_INFINITY;
    if (inst.kind !== "sentinel" && !l.infoInFlight) {
      const period = inst.kind === "replica" && inst.masterLinkDownTime !== 0 ? timing.fastInfoPeriod : timing.infoPeriod;
      due = Math.min(due, inst.infoRefresh === 0 ? 0 : inst.infoRefresh + period);
    }
    due = Math.min(due, Math.max(l.lastPongTime + interval, l.lastPingTime + interval / 2));
    due = Math.min(due, inst.lastPubTime + timing.publishPeriod);
  }
  if (l.actPingTime !== 0 || disconnected) {
    const since = l.actPingTime !== 0 ? l.actPingTime : l.lastAvailTime;
    due = Math.min(due, since + m.settings.downAfterMs - SDOWN_LOOKAHEAD_MS);
  }
  return due;
}
