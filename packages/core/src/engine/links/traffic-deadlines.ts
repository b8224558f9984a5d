import type { Timing } from "../../settings/timing.js";
import type { InstanceRecord, Link, MasterRecord, ReplicaRecord } from "../records.js";

// When each periodic action of the tick walk falls due. The walk (periodic-traffic.ts) acts once
// `now` is past a deadline; the due time of a subtree (tick/tick-due.ts) is the earliest of them.
// One definition for both, so that the walk can never act on a tick the due time skipped.

/**
 * INFO period for `inst` (§5): the fast period for a replica whose master is in trouble or whose own
 * master link is down, the normal one otherwise.
 */
export function infoPeriodFor(inst: MasterRecord | ReplicaRecord, masterTrouble: boolean, timing: Timing): number {
  // An instance in a FAILOVER hand-over is followed closely: it either completes in a round trip or is stuck.
  const handingOver = inst.failoverState !== null && inst.failoverState !== "no-failover";
  const fast = handingOver || (inst.kind === "replica" && (masterTrouble || inst.masterLinkDownTime !== 0));
  return fast ? timing.fastInfoPeriod : timing.infoPeriod;
}

/** The next INFO is due past this (−∞: never refreshed, due at once). */
export function infoDueAt(inst: MasterRecord | ReplicaRecord, masterTrouble: boolean, timing: Timing): number {
  return inst.infoRefresh === 0 ? Number.NEGATIVE_INFINITY : inst.infoRefresh + infoPeriodFor(inst, masterTrouble, timing);
}

/**
 * The next PING is due past this: no reply for a whole interval and none sent for half of one.
 * `early` (the coalescing window) shortens only the wait for a reply, never the half interval.
 */
export function pingDueAt(l: Link, interval: number, early = 0): number {
  return pingDueFrom(l.lastPongTime, l.lastPingTime, interval, early);
}

/** {@link pingDueAt} for given times of the last reply and the last PING. */
export function pingDueFrom(lastPongTime: number, lastPingTime: number, interval: number, early = 0): number {
  return Math.max(lastPongTime + interval - early, lastPingTime + interval / 2);
}

/** The next hello to `inst` is due past this (one per publish period, §7.1). */
export function helloDueAt(inst: InstanceRecord, timing: Timing): number {
  return inst.lastPubTime + timing.publishPeriod;
}

/**
 * The command link counts as idle past this (§4): up for the minimum link age, and a PING outstanding
 * with no reply for half of down-after. +∞ while it is not up or no PING is outstanding.
 */
export function idleCmdLinkAt(l: Link, downAfterMs: number, timing: Timing): number {
  if (l.cmd !== "up" || l.actPingTime === 0) return Number.POSITIVE_INFINITY;
  const half = downAfterMs / 2;
  return Math.max(l.cmdConnTime + timing.minLinkReconnectPeriod, l.actPingTime + half, l.lastPongTime + half);
}

/** The pub/sub link counts as idle past this: up for the minimum link age, silent for three publish periods. */
export function idlePubsubLinkAt(l: Link, timing: Timing): number {
  if (l.pubsub !== "up") return Number.POSITIVE_INFINITY;
  return Math.max(l.pcConnTime + timing.minLinkReconnectPeriod, l.pcLastActivity + 3 * timing.publishPeriod);
}
