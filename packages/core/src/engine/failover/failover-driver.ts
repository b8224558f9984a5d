import { transition } from "xstate";
import { type FailoverEvent, type FailoverFacts, type FailoverStateName, failoverMachine, type Subject } from "../../machines/failover.machine.js";
import { rankReplicas } from "../../ranking/replica-ranking.js";
import { finishSwitchover } from "../../switchover/switchover.js";
import type { Address } from "../../util/address.js";
import { addressKey } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import type { EventLevel } from "../events.js";
import { forceHello, sendInfo, sendReconfigure } from "../links/periodic-traffic.js";
import { linkDisconnected, type MasterRecord, type ReplicaRecord } from "../records.js";
import { resetAndChangeAddress } from "../topology/topology-changes.js";
import { rankingInputs } from "../views/engine-views.js";
import { electionOutcome } from "../votes/peer-votes.js";
import { bestEffortReconfigure, reconfigureReplicas } from "./replica-reconfiguration.js";
import { moveClientsOff, noteSwitchoverAnnounce, sendHandover } from "./switchover-driver.js";

/** Step the failover machine; eager mode keeps stepping while it moves. */
export function driveFailover(c: EngineContext, m: MasterRecord): void {
  for (let i = 0; i < 8 && m.failover.value !== "none" && m.failover.value !== "update_config"; i++) {
    const before = m.failover.value;
    if (m.failover.value === "reconf_slaves") reconfigureReplicas(c, m);
    applyFailover(c, m, { type: "STEP", facts: failoverFacts(c, m) });
    if (!c.timing.eager || m.failover.value === before) break;
  }
  pollPromotion(c, m);
}

/** Gap between INFO polls of a replica being promoted (ms). */
export const PROMOTION_POLL_MS = 10;

/**
 * Eager mode, WAIT_PROMOTION: ask the promoted replica's INFO every PROMOTION_POLL_MS until it
 * reports role:master, not once per fast INFO period: the promotion is the one step every client
 * waits for, and an INFO that was already in flight when SLAVEOF NO ONE left answers for the old role.
 */
function pollPromotion(c: EngineContext, m: MasterRecord): void {
  if (!c.timing.eager || m.failover.value !== "wait_promotion") return;
  const r = promotedReplica(m);
  if (!r || r.link.cmd !== "up") return;
  const due = r.infoRefresh + PROMOTION_POLL_MS;
  if (!r.link.infoInFlight && c.now >= due) sendInfo(c, r.link);
  c.wakeBy(Math.max(c.now + PROMOTION_POLL_MS, due));
}

export function failoverFacts(c: EngineContext, m: MasterRecord): FailoverFacts {
  const state = m.failover.value as FailoverStateName;
  const promoted = promotedReplica(m);
  let selected: string | null = null;
  let awaitingFreshInfo = false;
  if (state === "select_slave") {
    const { replicas, ctx } = rankingInputs(c, m, c.now);
    const ranking = rankReplicas(replicas, ctx);
    const wanted = m.failover.context.coordinated ? m.switchover?.requestedTo : null;
    selected = wanted ? (ranking.ranked.find((r) => r.key === addressKey(wanted))?.key ?? null) : (ranking.ranked[0]?.key ?? null);
    if (selected === null && c.timing.eager && c.now - m.failover.context.stateChangeTime <= 5 * c.timing.pingPeriod) {
      for (const { replica, reason } of ranking.excluded) {
        if (reason !== "info-too-old" || replica.infoRefresh === 0) continue;
        awaitingFreshInfo = true;
        const l = replica.record.link;
        if (!l.infoInFlight && l.cmd === "up") sendInfo(c, l);
      }
    }
  }
  const election = state === "wait_start" ? electionOutcome(c, m) : null;
  let allReconfigured = true;
  for (const r of m.replicas.values()) {
    if (!r.promoted && r.reconf !== "done" && r.health.value !== "sdown") allReconfigured = false;
  }
  return {
    now: c.now,
    failoverTimeoutMs: m.settings.failoverTimeoutMs,
    electionTimeoutMs: c.timing.electionTimeout,
    isLeader: election?.won === true,
    splitVoteRetryAt: election?.retryAt ?? null,
    selected,
    awaitingFreshInfo,
    // A hand-over is sent to the master: both ends must be connected.
    promotedConnected: promoted !== undefined && !linkDisconnected(promoted.link) && (!m.failover.context.coordinated || !linkDisconnected(m.link)),
    promotedUsable: promoted !== undefined && promoted.health.value !== "sdown",
    allReconfigured,
  };
}

export function applyFailover(c: EngineContext, m: MasterRecord, event: FailoverEvent): void {
  const [next, actions] = transition(failoverMachine, m.failover, event);
  const before = m.failover.context;
  m.failover = next;
  for (const a of actions) {
    switch (a.type) {
      case "announce": {
        const { type, subject } = a.params as { type: string; subject: Subject };
        const about = subject === "promoted" ? (promotedReplica(m) ?? m) : m;
        const level: EventLevel = type === "+failover-state-send-slaveof-noone" || type === "+failover-state-wait-promotion" ? "notice" : "warning";
        c.emit(type, level, c.details(about, m), m);
        if (type === "+elected-leader" && c.simulateFailureFlags & 1) c.cmd({ kind: "crash", reason: "crash-after-election" });
        if (before.coordinated) noteSwitchoverAnnounce(c, m, type);
        break;
      }
      case "abort": {
        const r = before.promoted ? m.replicas.get(before.promoted) : undefined;
        if (r) r.promoted = false;
        break;
      }
      case "sendPromotion": {
        const r = promotedReplica(m);
        if (r && before.coordinated) sendHandover(c, m, r);
        else if (r) sendReconfigure(c, r.link, null);
        break;
      }
      case "confirmPromotion":
        confirmPromotion(c, m);
        break;
      case "bestEffortReconfigure":
        bestEffortReconfigure(c, m);
        break;
    }
  }
  // Mark the promoted replica once chosen.
  const chosen = m.failover.context.promoted;
  if (chosen && before.promoted !== chosen) {
    const r = m.replicas.get(chosen);
    if (r) r.promoted = true;
  }
}

/** The replica chosen for promotion by the failover in progress, if any. */
export function promotedReplica(m: MasterRecord): ReplicaRecord | undefined {
  const key = m.failover.context.promoted;
  return key ? m.replicas.get(key) : undefined;
}

/** §11.5: the promoted replica reports role:master while we wait for it. */
export function onPromotionObserved(c: EngineContext, m: MasterRecord): void {
  applyFailover(c, m, { type: "PROMOTED", now: c.now });
  if (c.timing.eager) driveFailover(c, m);
}

export function confirmPromotion(c: EngineContext, m: MasterRecord): void {
  const r = promotedReplica(m);
  if (!r) return;
  m.configEpoch = m.failover.context.failoverEpoch;
  c.markDirty();
  c.emit("+promoted-slave", "warning", c.details(r, m), m);
  if (c.simulateFailureFlags & 2) c.cmd({ kind: "crash", reason: "crash-after-promotion" });
  c.emit("+failover-state-reconf-slaves", "warning", c.details(m, m), m);
  clientReconfig(c, m, "leader", m.addr, r.addr);
  forceHello(c, m);
  moveClientsOff(c, m, r.addr);
}

/** §11.8: `+switch-master`, then reset-and-change-address to the promoted replica. */
export function finishSwitch(c: EngineContext, m: MasterRecord): void {
  const r = promotedReplica(m);
  const old = m.addr;
  if (!r) {
    applyFailover(c, m, { type: "RESET", now: c.now });
    return;
  }
  const to = r.addr;
  c.emit("+switch-master", "warning", `${m.name} ${old.host} ${old.port} ${to.host} ${to.port}`, m);
  if (m.switchover?.outcome === null) {
    finishSwitchover(m.switchover, c.now, "completed");
    c.emit("+switchover-end", "warning", `${m.name} ${old.host} ${old.port} ${to.host} ${to.port}`, m);
  }
  applyFailover(c, m, { type: "SWITCHED", now: c.now });
  resetAndChangeAddress(c, m, to);
}

export function clientReconfig(c: EngineContext, m: MasterRecord, role: "leader" | "observer", from: Address, to: Address): void {
  const path = m.settings.clientReconfigScript;
  if (!path) return;
  c.cmd({ kind: "run-script", script: "client-reconfig", path, args: [m.name, role, "start", from.host, String(from.port), to.host, String(to.port)] });
}
