import { addressKey } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { linkAt } from "../links/link-registry.js";
import type { MasterRecord, ReplicaRecord } from "../records.js";
import { currentAddress } from "../views/engine-views.js";
import { type FenceLiftScope, takeFenceLifts } from "./fence-lifting.js";
import { desiredFence } from "./write-fence.js";

/** Lift the fences this sentinel keeps on `m`'s instances, within `scope` (fence-lifting.ts). */
export function liftFences(c: EngineContext, m: MasterRecord, scope: FenceLiftScope): void {
  for (const lift of takeFenceLifts(m, scope)) c.cmd({ kind: "lift-fences", ...lift });
}

/** Write fencing (Vigil extension): keep the current master's `min-replicas-to-write` in step. */
export function applyFence(c: EngineContext, m: MasterRecord): void {
  if (!m.settings.fenceWrites) return;
  const cur = currentAddress(m);
  const link = linkAt(c, cur);
  if (!link || link.cmd !== "up") return;
  const want = desiredFence(m, cur);
  if (m.fence && m.fence.key === want.key && m.fence.minReplicas === want.minReplicas) return;
  m.fence = want;
  c.fenced.add(m);
  c.cmd({ kind: "fence-writes", addr: cur, minReplicas: want.minReplicas, maxLagS: m.settings.fenceMaxLagS });
}

/**
 * A replica of ours claims master while our master is sane: fence it (stale-master-fence.ts). At
 * once when it is returning (first INFO of its record, or down recently): a partitioned or restarted
 * old master. Otherwise only after a publish period of stable claims, in which the hello of a newer
 * failover that legitimately promoted it would have reached us. Re-sent with every such INFO: the
 * transport's fence is idempotent and a flapping link may have lost the last one.
 */
export function fenceStaleMaster(c: EngineContext, r: ReplicaRecord, m: MasterRecord, firstInfo: boolean): void {
  if (!m.settings.fenceStaleMaster) return;
  const since = r.health.context.sdownSince;
  const returning = firstInfo || r.health.value === "sdown" || (since !== 0 && c.now - since <= 4 * c.timing.publishPeriod + m.settings.downAfterMs);
  if (!returning && c.now - r.roleReportedTime < c.timing.publishPeriod) return;
  const key = addressKey(r.addr);
  if (!m.staleFenced.has(key)) {
    m.staleFenced.add(key);
    c.emit("+fence-stale-master", "notice", c.details(r, m), m);
  }
  c.cmd({ kind: "fence-stale-master", addr: r.addr });
}

/**
 * Lift our stale-master fence once the instance reports the role our config gives it, and check the
 * current master on its first INFO for a fence left by a sentinel that restarted or changed its mind.
 */
export function releaseStaleFence(c: EngineContext, inst: MasterRecord | ReplicaRecord, m: MasterRecord, role: "master" | "slave", firstInfo: boolean): void {
  const key = addressKey(inst.addr);
  // From the promotion on, our record's "master" is the one being replaced: its role is not its due.
  const replaced = inst.kind === "master" && (m.failover.value === "reconf_slaves" || m.failover.value === "update_config");
  const inRole = (role === "master") === (inst.kind === "master") && !replaced;
  if (inRole && m.staleFenced.delete(key)) {
    c.emit("-fence-stale-master", "notice", c.details(inst, m), m);
    c.cmd({ kind: "unfence-stale-master", addr: inst.addr });
  } else if (firstInfo && inst.kind === "master" && role === "master") {
    c.cmd({ kind: "unfence-stale-master", addr: inst.addr });
  }
}
