import { sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { sendReconfigure } from "../links/periodic-traffic.js";
import { linkDisconnected, type MasterRecord, type ReplicaRecord } from "../records.js";
import { promotedReplica } from "./failover-driver.js";
import { reconfCan, reconfMove, reconfPending } from "./replica-reconf-state.js";

/** §11.6: point replicas at the promoted one, `parallel-syncs` at a time. */
export function reconfigureReplicas(c: EngineContext, m: MasterRecord): void {
  const promoted = promotedReplica(m);
  if (!promoted) return;
  let inProgress = 0;
  for (const r of m.replicas.values()) if (reconfPending(r.reconf)) inProgress++;
  for (const r of m.replicas.values()) {
    if (inProgress >= m.settings.parallelSyncs) break;
    if (r.promoted || r.reconf === "done") continue;
    if (r.reconf === "sent" && c.now - r.reconfSentTime > c.timing.slaveReconfTimeout) {
      c.emit("-slave-reconf-sent-timeout", "notice", c.details(r, m), m);
      reconfMove(r, "timeout", c.now);
      continue;
    }
    if (!reconfCan(r.reconf, "send") || linkDisconnected(r.link)) continue;
    sendReconfigure(c, r.link, promoted.addr);
    reconfMove(r, "send", c.now);
    c.emit("+slave-reconf-sent", "notice", c.details(r, m), m);
    inProgress++;
  }
}

/** §11.7: failover timeout in RECONF_SLAVES: send SLAVEOF to every replica not yet told, at once. */
export function bestEffortReconfigure(c: EngineContext, m: MasterRecord): void {
  const promoted = promotedReplica(m);
  if (!promoted) return;
  for (const r of m.replicas.values()) {
    if (r.promoted || !reconfCan(r.reconf, "send-best-effort") || linkDisconnected(r.link)) continue;
    sendReconfigure(c, r.link, promoted.addr);
    reconfMove(r, "send-best-effort", c.now);
    c.emit("+slave-reconf-sent-be", "notice", c.details(r, m), m);
  }
}

/** §11.6 from a replica's INFO: following the promoted replica, then synced with it. */
export function noteReconfProgress(c: EngineContext, r: ReplicaRecord, m: MasterRecord): void {
  const promoted = promotedReplica(m);
  if (promoted && r.reconf === "sent" && sameAddress({ host: r.slaveMasterHost ?? "", port: r.slaveMasterPort }, promoted.addr)) {
    reconfMove(r, "following-promoted", c.now);
    c.emit("+slave-reconf-inprog", "notice", c.details(r, m), m);
  }
  if (r.reconf === "inprog" && r.masterLinkUp && reconfMove(r, "link-up", c.now)) {
    c.emit("+slave-reconf-done", "notice", c.details(r, m), m);
  }
}
