import { rankReplicas } from "../../ranking/replica-ranking.js";
import {
  abortReasonOf,
  finishSwitchover,
  handoverErrorReason,
  handoverExpired,
  handoverTimeoutMs,
  lacksFailoverCommand,
  type SwitchoverAbortReason,
  type SwitchoverRefusal,
  startSwitchover,
  stuckInFailover,
  switchoverRefusal,
} from "../../switchover/switchover.js";
import { type Address, addressKey, sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { sendInfo, sendReconfigure } from "../links/periodic-traffic.js";
import { linkDisconnected, type MasterRecord, type ReplicaRecord } from "../records.js";
import type { FailoverRequestResult, SwitchoverOptions } from "../sentinel-engine.js";
import { rankingInputs } from "../views/engine-views.js";
import { askPeers } from "../votes/peer-votes.js";
import { applyFailover, driveFailover } from "./failover-driver.js";
import { startFailover } from "./failover-start.js";

// The engine's glue of a coordinated failover (`SENTINEL FAILOVER <name> COORDINATED`, a
// switchover): the decisions are switchover/switchover.ts's; here they meet the records and commands.

/** `SENTINEL FAILOVER <name> COORDINATED`: an elected failover that hands over through `FAILOVER TO`. */
export function requestSwitchover(c: EngineContext, m: MasterRecord, coordinated: SwitchoverOptions): FailoverRequestResult {
  const { refusal } = switchoverPreflight(c, m, coordinated.to ?? null, c.now);
  if (refusal !== null) return refusal;
  startFailover(c, m, false, true);
  const timeoutMs = handoverTimeoutMs(coordinated.timeoutMs, m.settings.failoverTimeoutMs);
  m.switchover = startSwitchover(m.failover.context.failoverEpoch, c.now, coordinated.to ?? null, timeoutMs);
  c.emit("+switchover-start", "warning", `${c.details(m, m)} #to ${coordinated.to ? addressKey(coordinated.to) : "best"} timeout ${timeoutMs}`, m);
  // Unlike a forced failover, a switchover is elected: no two sentinels hand over at once.
  askPeers(c, m, true);
  if (c.timing.eager && !c.inTilt()) driveFailover(c, m);
  return "ok";
}

/** What {@link switchoverPreflight} found. */
export interface SwitchoverPreflight {
  /** Why the switchover must not start, or null. */
  readonly refusal: SwitchoverRefusal | "inprog" | null;
  /** Keys of the replicas the ranking accepts at `now`, best first. */
  readonly eligible: readonly string[];
  /** Key of the replica asked for, or null. */
  readonly requested: string | null;
}

/**
 * The checks of a switchover of `m`, made before anything changes, for the request and its dry run
 * alike: a master known to lack `FAILOVER` first, then `-INPROG` (Valkey 9's order), then
 * {@link switchoverRefusal}.
 */
export function switchoverPreflight(c: EngineContext, m: MasterRecord, to: Address | null, now: number): SwitchoverPreflight {
  const { replicas, ctx } = rankingInputs(c, m, now);
  const eligible = rankReplicas(replicas, ctx).ranked.map((r) => r.key);
  const requested = to ? addressKey(to) : null;
  let refusal: SwitchoverRefusal | "inprog" | null;
  if (lacksFailoverCommand(m.infoRefresh !== 0, m.failoverState)) refusal = "not-supported";
  else if (m.failover.value !== "none") refusal = "inprog";
  else {
    refusal = switchoverRefusal({
      masterUsable: !linkDisconnected(m.link) && m.health.value !== "sdown" && m.roleReported === "master" && m.infoRefresh !== 0,
      masterFailoverState: m.failoverState,
      eligible,
      requested,
      requestedKnown: requested !== null && m.replicas.has(requested),
    });
  }
  return { refusal, eligible, requested };
}

/**
 * The hand-over finished: on success the target is a master now, so its INFO is asked for at once
 * (the promotion is seen in a round trip, not at the next fast-INFO period). On an error (the master
 * refused `FAILOVER TO`, or the replica did not catch up in time) nothing changed.
 */
export function onHandoverReply(c: EngineContext, addr: Address, error: string | null): void {
  const m = [...c.masters.values()].find((x) => sameAddress(x.addr, addr));
  if (m?.switchover?.phase !== "handing-over") return;
  if (error !== null) {
    abandonSwitchover(c, m, handoverErrorReason(error), error);
    return;
  }
  const target = m.switchover.target && m.replicas.get(addressKey(m.switchover.target));
  if (target && !linkDisconnected(target.link) && !target.link.infoInFlight) sendInfo(c, target.link);
}

/** End a switchover that changed nothing: the master keeps its role, the failover machine stops. */
export function abandonSwitchover(c: EngineContext, m: MasterRecord, reason: SwitchoverAbortReason, detail: string | null = null): void {
  const s = m.switchover;
  if (!s || s.outcome !== null) return;
  finishSwitchover(s, c.now, "aborted", reason, detail);
  c.emit("-switchover-abort", "warning", `${c.details(m, m)} #${reason}${detail ? ` ${detail}` : ""}`, m);
  if (m.failover.context.coordinated) applyFailover(c, m, { type: "ABANDON", now: c.now });
}

/** A failover-machine announcement during a switchover: elected → selecting; an abort ends it. */
export function noteSwitchoverAnnounce(c: EngineContext, m: MasterRecord, type: string): void {
  if (m.switchover?.outcome !== null || m.switchover === null) return;
  if (type === "+elected-leader") m.switchover.phase = "selecting";
  else {
    const reason = abortReasonOf(type);
    if (reason !== null) abandonSwitchover(c, m, reason);
  }
}

/**
 * Coordinated hand-over glue: give up (with `FAILOVER ABORT`) past its timeout, and recover a master
 * left in a `FAILOVER` hand-over nobody finishes (switchover.ts, `stuckInFailover`).
 */
export function superviseHandover(c: EngineContext, m: MasterRecord): void {
  const s = m.switchover;
  if (s && s.outcome === null && handoverExpired(s, c.now)) {
    c.cmd({ kind: "abort-handover", addr: m.addr });
    abandonSwitchover(c, m, "handover-timeout");
    return;
  }
  const ours = s !== null && s.outcome === null && s.phase === "handing-over";
  if (ours || linkDisconnected(m.link) || !stuckInFailover(m.failoverState, m.failoverStateSince, c.now, m.settings.downAfterMs, m.settings.failoverTimeoutMs)) return;
  if (c.now - m.stuckAbortSent < m.settings.downAfterMs / 2) return;
  m.stuckAbortSent = c.now;
  c.emit("+abort-stuck-failover", "warning", `${c.details(m, m)} #${m.failoverState}`, m);
  c.cmd({ kind: "abort-handover", addr: m.addr });
}

/** Switchover: `FAILOVER TO <replica> TIMEOUT <ms>` to the live master, instead of `SLAVEOF NO ONE`. */
export function sendHandover(c: EngineContext, m: MasterRecord, r: ReplicaRecord): void {
  const s = m.switchover;
  if (!s) return;
  s.phase = "handing-over";
  s.target = r.addr;
  s.handoverSentAt = c.now;
  // The hand-over runs on connections of its own (the master's write pause would hold this link).
  c.cmd({ kind: "handover", addr: m.addr, target: r.addr, timeoutMs: s.timeoutMs });
  c.emit("+switchover-handover", "warning", `${c.details(r, m)} #timeout ${s.timeoutMs}`, m);
}

/**
 * The old master was just replaced: disconnect its clients now so they ask the sentinels again (the
 * client contract), instead of writing to it until it is converted. After a switchover it already
 * replicates from the new master; the reconfiguration transaction persists that and kills its
 * clients. After a plain failover it still takes writes: the stale-master fence goes on first.
 */
export function moveClientsOff(c: EngineContext, m: MasterRecord, to: Address): void {
  if (m.switchover?.outcome === null && m.failover.context.coordinated) {
    m.switchover.phase = "reconfiguring";
    if (!linkDisconnected(m.link)) sendReconfigure(c, m.link, to);
    return;
  }
  if (!m.settings.fenceStaleMaster || linkDisconnected(m.link)) return;
  const key = addressKey(m.addr);
  if (!m.staleFenced.has(key)) {
    m.staleFenced.add(key);
    c.emit("+fence-stale-master", "notice", c.details(m, m), m);
  }
  c.cmd({ kind: "fence-stale-master", addr: m.addr, disconnectClients: true });
}
