import { nextReconnectAt } from "../../health/crash-detection.js";
import { noReplyDeadline } from "../../machines/instance-health.machine.js";
import { pingInterval, type Timing } from "../../settings/timing.js";
import { helloDueAt, idleCmdLinkAt, idlePubsubLinkAt, infoDueAt, pingDueAt } from "../links/traffic-deadlines.js";
import { type InstanceRecord, linkDisconnected, linkSaturated, type MasterRecord, silentSince } from "../records.js";

/**
 * How far ahead a no-reply deadline gets its own eager `wake` (ms): more than the daemon's 100 ms
 * tick. A walk schedules it only within this horizon, so a subtree is due again this long before
 * each SDOWN deadline.
 */
export const WAKE_HORIZON_MS = 200;

/**
 * The earliest time at which a tick's walk of `m`'s subtree (reconnect, drop idle links, INFO / PING /
 * hello, SDOWN, the stale-vote reset of `askPeers`) could do anything, given no input arrives before.
 * Conservative: it may be early (the walk then finds nothing to do), never late. Each term is a
 * deadline the walk itself tests (links/traffic-deadlines.ts, `noReplyDeadline`, `nextReconnectAt`).
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

/** One record's deadlines, as `reconnect`, `dropIdle`, `sendPeriodic` and `checkSdown` test them. */
function recordDueAt(inst: InstanceRecord, m: MasterRecord, timing: Timing, interval: number): number {
  const l = inst.link;
  let due = Number.POSITIVE_INFINITY;
  if (inst.addr.port !== 0) {
    due = Math.min(due, idleCmdLinkAt(l, m.settings.downAfterMs, timing), idlePubsubLinkAt(l, timing));
    if (l.cmd === "down" || (l.peer === "instance" && l.pubsub === "down")) {
      due = Math.min(due, nextReconnectAt(l, l.lastReconnTime, m.settings.crashDownAfterMs, timing.pingPeriod));
    }
  }
  if (!linkDisconnected(l)) {
    if (linkSaturated(l)) return Number.NEGATIVE_INFINITY;
    if (inst.kind !== "sentinel" && !l.infoInFlight) {
      // Not in trouble here: subtreeDueAt returned `now` for a master in trouble.
      due = Math.min(due, infoDueAt(inst, false, timing));
    }
    due = Math.min(due, pingDueAt(l, interval), helloDueAt(inst, timing));
  }
  const since = silentSince(l);
  if (since !== null) due = Math.min(due, noReplyDeadline(since, m.settings.downAfterMs) - WAKE_HORIZON_MS);
  return due;
}
