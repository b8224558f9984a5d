import { isInfoRejection, parseInfo } from "../../codecs/info-parser.js";
import type { InfoReport } from "../../codecs/info-report.js";
import { type Address, addressKey, sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { onPromotionObserved } from "../failover/failover-driver.js";
import { noteReconfProgress } from "../failover/replica-reconfiguration.js";
import { fenceStaleMaster, releaseStaleFence } from "../fencing/fence-upkeep.js";
import { linkAt, recordsAt, touchLink } from "../links/link-registry.js";
import { sendReconfigure } from "../links/periodic-traffic.js";
import type { MasterRecord, ReplicaRecord } from "../records.js";
import { actNow } from "../tick/tick-walk.js";
import { addReplica } from "../topology/topology-changes.js";

export function onInfoReply(c: EngineContext, addr: Address, text: string | null): void {
  const l = linkAt(c, addr);
  if (!l) return;
  touchLink(c, l);
  if (l.pending > 0) l.pending--;
  l.infoInFlight = false;
  const stale = l.staleInfoReplies > 0;
  if (stale) l.staleInfoReplies--;
  if (text === null) return;
  const report = parseInfo(text);
  if (isInfoRejection(report)) {
    c.emit("-info-rejected", "debug", `${addressKey(addr)} #${report.reason}`);
    return;
  }
  for (const [inst, m] of recordsAt(c, l)) {
    if (inst.kind === "sentinel") continue;
    inst.info = text;
    refreshFromInfo(c, inst, m, report, stale);
  }
}

/**
 * §6: take in one INFO report of a master or replica entry, then react to what it says (role
 * changes, a replica claiming master, one following the wrong master, reconfiguration progress).
 * `predatesReconfigure`: requested before our last SLAVEOF to it, so it proves nothing about it.
 */
export function refreshFromInfo(c: EngineContext, inst: MasterRecord | ReplicaRecord, m: MasterRecord, info: InfoReport, predatesReconfigure = false): void {
  const firstInfo = recordInfo(c, inst, m, info);
  // 1. Role bookkeeping, even in TILT.
  const role = info.role ?? "slave";
  releaseStaleFence(c, inst, m, role, firstInfo);
  if (role !== inst.roleReported) {
    inst.roleReported = role;
    inst.roleReportedTime = c.now;
    if (inst.kind === "replica" && role === "slave") inst.slaveConfChangeTime = c.now;
    const matches = (role === "master") === (inst.kind === "master");
    c.emit(matches ? "+role-change" : "-role-change", "verbose", `${c.details(inst, m)} new reported role is ${role}`, m);
  }
  // 2. Stop here in TILT.
  if (c.inTilt() || inst.kind !== "replica") return;
  reactToReplicaInfo(c, inst, m, role, firstInfo, predatesReconfigure);
}

/** The facts of an INFO report onto the record (run id, replicas, replication); true if it is the first. */
function recordInfo(c: EngineContext, inst: MasterRecord | ReplicaRecord, m: MasterRecord, info: InfoReport): boolean {
  if (inst.kind === "replica") inst.masterLinkDownTime = 0;
  if (info.runId !== undefined) {
    if (inst.runId !== null && inst.runId !== info.runId) {
      c.emit("+reboot", "notice", c.details(inst, m), m);
      if (inst.kind === "master" && m.settings.masterRebootDownAfterMs !== 0) {
        inst.reboot = true;
        inst.rebootSince = c.now;
      }
    }
    inst.runId = info.runId;
  }
  if (inst.kind === "master") {
    for (const line of info.replicas) {
      const key = addressKey(line);
      if (!m.replicas.has(key) && !sameAddress(line, m.addr)) {
        const r = addReplica(c, m, line);
        c.emit("+slave", "notice", c.details(r, m), m);
        c.markDiscovered();
      }
    }
  }
  if (inst.kind === "replica") {
    if (info.masterLinkDownTimeMs !== 0) inst.masterLinkDownTime = info.masterLinkDownTimeMs;
    if (info.role === "slave") {
      if (info.masterHost !== undefined && info.masterHost.toLowerCase() !== (inst.slaveMasterHost ?? "").toLowerCase()) {
        inst.slaveMasterHost = info.masterHost;
        inst.slaveConfChangeTime = c.now;
      }
      if (info.masterPort !== undefined && info.masterPort !== inst.slaveMasterPort) {
        inst.slaveMasterPort = info.masterPort;
        inst.slaveConfChangeTime = c.now;
      }
      if (info.masterLinkUp !== undefined) inst.masterLinkUp = info.masterLinkUp;
      if (info.slavePriority !== undefined) inst.slavePriority = info.slavePriority;
      if (info.slaveReplOffset !== undefined) inst.replOffset = info.slaveReplOffset;
      if (info.replicaAnnounced !== undefined) inst.replicaAnnounced = info.replicaAnnounced;
    }
  }
  const firstInfo = inst.infoRefresh === 0;
  inst.infoRefresh = c.now;
  const failoverState = info.failoverState ?? null;
  if (failoverState !== inst.failoverState) {
    inst.failoverState = failoverState;
    inst.failoverStateSince = c.now;
  }
  return firstInfo;
}

/** Steps 4–6 of §6 for a replica entry, outside TILT. */
function reactToReplicaInfo(c: EngineContext, r: ReplicaRecord, m: MasterRecord, role: "master" | "slave", firstInfo: boolean, predatesReconfigure: boolean): void {
  // 4. A replica reporting role:master.
  if (role === "master") {
    // Only an INFO requested after SLAVEOF NO ONE proves the promotion (simulator finding 1).
    if (r.promoted && m.failover.value === "wait_promotion" && !predatesReconfigure) {
      onPromotionObserved(c, m);
      return;
    }
    const quiet = 4 * c.timing.publishPeriod;
    if (!r.promoted && masterLooksSane(c, m)) fenceStaleMaster(c, r, m, firstInfo);
    if (!r.promoted && masterLooksSane(c, m) && c.now - r.health.context.sdownSince > quiet && c.now - r.roleReportedTime > quiet) {
      sendReconfigure(c, r.link, m.addr);
      c.emit("+convert-to-slave", "notice", c.details(r, m), m);
    }
    return;
  }
  // 5. A replica following the wrong master.
  const ft = m.settings.failoverTimeoutMs;
  if (
    r.slaveMasterPort !== 0 &&
    (r.slaveMasterPort !== m.addr.port || (r.slaveMasterHost ?? "").toLowerCase() !== m.addr.host.toLowerCase()) &&
    m.failover.value === "none" &&
    masterLooksSane(c, m) &&
    c.now - r.health.context.sdownSince > ft &&
    c.now - r.slaveConfChangeTime > ft
  ) {
    sendReconfigure(c, r.link, m.addr);
    c.emit("+fix-slave-config", "notice", c.details(r, m), m);
  }
  // 6. Reconfiguration progress.
  noteReconfProgress(c, r, m);
  actNow(c, m);
}

/** §6: entry is a master, reports master, not down, INFO younger than 2 × info period. */
export function masterLooksSane(c: EngineContext, m: MasterRecord): boolean {
  return m.roleReported === "master" && m.health.value !== "sdown" && m.odown.value !== "odown" && m.infoRefresh !== 0 && c.now - m.infoRefresh < 2 * c.timing.infoPeriod;
}
