import { type InstanceRecord, instanceFlags, type MasterRecord } from "@vigil/core";
import { type BulkField, BulkFieldMap } from "../resp/bulk-fields.js";
import { type ArrayReply, array, type MapReply } from "../resp/reply.js";

/**
 * One instance as `SENTINEL MASTER|MASTERS|REPLICAS|SENTINELS` show it (§17.2,
 * `addReplySentinelRedisInstance`): a map (a flat array in RESP2) of bulk strings, fields in
 * Sentinel's order, optional fields only when their condition holds, times as milliseconds since
 * the event, measured at `now`. Every value is read here, when the command runs.
 *
 * A healthy master has exactly 20 pairs; `num-other-sentinels` is then at flat index 33.
 */
export function instanceMap(inst: InstanceRecord, master: MasterRecord, now: number): MapReply {
  const link = inst.link;
  // One flat array, numbers left as numbers: this runs per request, and the encoder writes it as is.
  const f: BulkField[] = [
    "name",
    inst.name,
    "ip",
    inst.addr.host,
    "port",
    inst.addr.port,
    "runid",
    inst.runId ?? "",
    "flags",
    instanceFlags(inst, master),
    "link-pending-commands",
    link.pending,
    "link-refcount",
    link.refcount,
  ];
  if (inst.kind === "master" && inst.failover.value !== "none") f.push("failover-state", String(inst.failover.value));
  f.push(
    "last-ping-sent",
    link.actPingTime !== 0 ? now - link.actPingTime : 0,
    "last-ok-ping-reply",
    now - link.lastAvailTime,
    "last-ping-reply",
    now - link.lastPongTime,
  );
  if (inst.health.value === "sdown") f.push("s-down-time", now - inst.health.context.sdownSince);
  if (inst.kind === "master" && inst.odown.value === "odown") f.push("o-down-time", now - inst.odown.context.odownSince);
  // Replicas and sentinels use their master's down-after-milliseconds (§1.2).
  f.push("down-after-milliseconds", master.settings.downAfterMs);

  if (inst.kind !== "sentinel") {
    f.push(
      "info-refresh",
      inst.infoRefresh !== 0 ? now - inst.infoRefresh : 0,
      "role-reported",
      inst.roleReported === "master" ? "master" : "slave",
      "role-reported-time",
      now - inst.roleReportedTime,
    );
  }
  if (inst.kind === "master") {
    const s = inst.settings;
    f.push(
      "config-epoch",
      inst.configEpoch,
      "num-slaves",
      inst.replicas.size,
      "num-other-sentinels",
      inst.sentinels.size,
      "quorum",
      s.quorum,
      "failover-timeout",
      s.failoverTimeoutMs,
      "parallel-syncs",
      s.parallelSyncs,
    );
    if (s.notificationScript !== undefined) f.push("notification-script", s.notificationScript);
    if (s.clientReconfigScript !== undefined) f.push("client-reconfig-script", s.clientReconfigScript);
  } else if (inst.kind === "replica") {
    f.push(
      "master-link-down-time",
      inst.masterLinkDownTime,
      "master-link-status",
      inst.masterLinkUp ? "ok" : "err",
      "master-host",
      inst.slaveMasterHost ?? "?",
      "master-port",
      inst.slaveMasterPort,
      "slave-priority",
      inst.slavePriority,
      "slave-repl-offset",
      inst.replOffset,
      "replica-announced",
      inst.replicaAnnounced ? "1" : "0",
    );
  } else {
    f.push(
      "last-hello-message",
      now - inst.lastHelloTime,
      "voted-leader",
      inst.leader ?? "?",
      "voted-leader-epoch",
      inst.leaderEpoch,
    );
  }
  return new BulkFieldMap(f);
}

/**
 * `addReplyDictOfRedisInstances`: an array of instance maps, each given with the master it belongs
 * to (a master with itself). Replicas that are not announced (`replica-announced:0` in their INFO)
 * are left out; `num-slaves` still counts them.
 */
export function instanceList(instances: Iterable<readonly [InstanceRecord, MasterRecord]>, now: number): ArrayReply {
  const items: MapReply[] = [];
  for (const [inst, master] of instances) {
    if (inst.kind === "replica" && !inst.replicaAnnounced) continue;
    items.push(instanceMap(inst, master, now));
  }
  return array(items);
}
