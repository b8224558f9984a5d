import { type InstanceRecord, instanceFlags, type MasterRecord } from "@vigil/core";
import { type ArrayReply, array, bulkMap, type MapReply } from "../resp/reply.js";

/**
 * One instance as `SENTINEL MASTER|MASTERS|REPLICAS|SENTINELS` show it (§17.2,
 * `addReplySentinelRedisInstance`): a map (a flat array in RESP2) of bulk strings, fields in
 * Sentinel's order, optional fields only when their condition holds, times as milliseconds since
 * the event, measured at `now`.
 *
 * A healthy master has exactly 20 pairs; `num-other-sentinels` is then at flat index 33.
 */
export function instanceMap(inst: InstanceRecord, master: MasterRecord, now: number): MapReply {
  const link = inst.link;
  const f: [string, string][] = [
    ["name", inst.name],
    ["ip", inst.addr.host],
    ["port", String(inst.addr.port)],
    ["runid", inst.runId ?? ""],
    ["flags", instanceFlags(inst, master)],
    ["link-pending-commands", String(link.pending)],
    ["link-refcount", String(link.refcount)],
  ];
  if (inst.kind === "master" && inst.failover.value !== "none") f.push(["failover-state", String(inst.failover.value)]);
  f.push(
    ["last-ping-sent", String(link.actPingTime !== 0 ? now - link.actPingTime : 0)],
    ["last-ok-ping-reply", String(now - link.lastAvailTime)],
    ["last-ping-reply", String(now - link.lastPongTime)],
  );
  if (inst.health.value === "sdown") f.push(["s-down-time", String(now - inst.health.context.sdownSince)]);
  if (inst.kind === "master" && inst.odown.value === "odown") f.push(["o-down-time", String(now - inst.odown.context.odownSince)]);
  // Replicas and sentinels use their master's down-after-milliseconds (§1.2).
  f.push(["down-after-milliseconds", String(master.settings.downAfterMs)]);

  if (inst.kind !== "sentinel") {
    f.push(
      ["info-refresh", String(inst.infoRefresh !== 0 ? now - inst.infoRefresh : 0)],
      ["role-reported", inst.roleReported === "master" ? "master" : "slave"],
      ["role-reported-time", String(now - inst.roleReportedTime)],
    );
  }
  if (inst.kind === "master") {
    const s = inst.settings;
    f.push(
      ["config-epoch", String(inst.configEpoch)],
      ["num-slaves", String(inst.replicas.size)],
      ["num-other-sentinels", String(inst.sentinels.size)],
      ["quorum", String(s.quorum)],
      ["failover-timeout", String(s.failoverTimeoutMs)],
      ["parallel-syncs", String(s.parallelSyncs)],
    );
    if (s.notificationScript !== undefined) f.push(["notification-script", s.notificationScript]);
    if (s.clientReconfigScript !== undefined) f.push(["client-reconfig-script", s.clientReconfigScript]);
  } else if (inst.kind === "replica") {
    f.push(
      ["master-link-down-time", String(inst.masterLinkDownTime)],
      ["master-link-status", inst.masterLinkUp ? "ok" : "err"],
      ["master-host", inst.slaveMasterHost ?? "?"],
      ["master-port", String(inst.slaveMasterPort)],
      ["slave-priority", String(inst.slavePriority)],
      ["slave-repl-offset", String(inst.replOffset)],
      ["replica-announced", inst.replicaAnnounced ? "1" : "0"],
    );
  } else {
    f.push(
      ["last-hello-message", String(now - inst.lastHelloTime)],
      ["voted-leader", inst.leader ?? "?"],
      ["voted-leader-epoch", String(inst.leaderEpoch)],
    );
  }
  return bulkMap(f);
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
