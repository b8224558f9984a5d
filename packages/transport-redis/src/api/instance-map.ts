import { announcedHost, type InstanceView, instanceFlags, type MasterView } from "@vigil/core";
import { type BulkField, BulkFieldMap, bulkKeys, PairMemo, stableBulkKeys } from "../resp/bulk-fields.js";
import { type ArrayReply, array, type MapReply } from "../resp/reply.js";

/** The field names, encoded once; those whose values rarely change get a memo slot (see {@link PairMemo}). */
const K = {
  ...stableBulkKeys(
    "name",
    "ip",
    "port",
    "runid",
    "flags",
    "link-pending-commands",
    "link-refcount",
    "failover-state",
    "down-after-milliseconds",
    "role-reported",
    "config-epoch",
    "num-slaves",
    "num-other-sentinels",
    "quorum",
    "failover-timeout",
    "parallel-syncs",
    "notification-script",
    "client-reconfig-script",
    "master-link-down-time",
    "master-link-status",
    "master-host",
    "master-port",
    "slave-priority",
    "slave-repl-offset",
    "replica-announced",
    "voted-leader",
    "voted-leader-epoch",
  ),
  // Times since an event: different on every request.
  ...bulkKeys(
    "last-ping-sent",
    "last-ok-ping-reply",
    "last-ping-reply",
    "s-down-time",
    "o-down-time",
    "info-refresh",
    "role-reported-time",
    "last-hello-message",
  ),
};

/** Constant values, likewise. */
const V = bulkKeys("master", "slave", "ok", "err", "1", "0", "?");

/**
 * One instance as `SENTINEL MASTER|MASTERS|REPLICAS|SENTINELS` show it (§17.2,
 * `addReplySentinelRedisInstance`): a map (a flat array in RESP2) of bulk strings, fields in
 * Sentinel's order, optional fields only when their condition holds, times as milliseconds since
 * the event, measured at `now`. Every value is read here, when the command runs.
 *
 * A healthy master has exactly 20 pairs; `num-other-sentinels` is then at flat index 33.
 */
export function instanceMap(inst: InstanceView, master: MasterView, now: number, announceHostnames = false): MapReply {
  const link = inst.link;
  // One flat array, numbers left as numbers: this runs per request, and the encoder writes it as is.
  const f: BulkField[] = [
    K.name,
    inst.name,
    K.ip,
    // A master monitored by hostname shows it only with announce-hostnames yes (announced-address.ts).
    inst.kind === "master" ? announcedHost(inst, inst.addr, announceHostnames) : inst.addr.host,
    K.port,
    inst.addr.port,
    K.runid,
    inst.runId ?? "",
    K.flags,
    instanceFlags(inst),
    K["link-pending-commands"],
    link.pending,
    K["link-refcount"],
    link.refcount,
  ];
  if (inst.kind === "master") {
    const failover = inst.failover.state;
    if (failover !== "none") f.push(K["failover-state"], failover);
  }
  f.push(
    K["last-ping-sent"],
    link.actPingTime !== 0 ? now - link.actPingTime : 0,
    K["last-ok-ping-reply"],
    now - link.lastAvailTime,
    K["last-ping-reply"],
    now - link.lastPongTime,
  );
  const health = inst.health;
  if (health.state === "sdown") f.push(K["s-down-time"], now - health.since);
  if (inst.kind === "master") {
    const odown = inst.odown;
    if (odown.state === "odown") f.push(K["o-down-time"], now - odown.since);
  }
  // Replicas and sentinels use their master's down-after-milliseconds (§1.2).
  f.push(K["down-after-milliseconds"], master.settings.downAfterMs);

  if (inst.kind !== "sentinel") {
    f.push(
      K["info-refresh"],
      inst.infoRefresh !== 0 ? now - inst.infoRefresh : 0,
      K["role-reported"],
      inst.roleReported === "master" ? V.master : V.slave,
      K["role-reported-time"],
      now - inst.roleReportedTime,
    );
  }
  pushKindFields(f, inst, now);
  return new BulkFieldMap(f, memoOf(inst));
}

/** The fields only masters, only replicas or only sentinels have. */
function pushKindFields(f: BulkField[], inst: InstanceView, now: number): void {
  if (inst.kind === "master") {
    const s = inst.settings;
    f.push(
      K["config-epoch"],
      inst.configEpoch,
      K["num-slaves"],
      inst.replicas.size,
      K["num-other-sentinels"],
      inst.sentinels.size,
      K.quorum,
      s.quorum,
      K["failover-timeout"],
      s.failoverTimeoutMs,
      K["parallel-syncs"],
      s.parallelSyncs,
    );
    if (s.notificationScript !== undefined) f.push(K["notification-script"], s.notificationScript);
    if (s.clientReconfigScript !== undefined) f.push(K["client-reconfig-script"], s.clientReconfigScript);
  } else if (inst.kind === "replica") {
    f.push(
      K["master-link-down-time"],
      inst.masterLinkDownTime,
      K["master-link-status"],
      inst.masterLinkUp ? V.ok : V.err,
      K["master-host"],
      inst.slaveMasterHost ?? V["?"],
      K["master-port"],
      inst.slaveMasterPort,
      K["slave-priority"],
      inst.slavePriority,
      K["slave-repl-offset"],
      inst.replOffset,
      K["replica-announced"],
      inst.replicaAnnounced ? V["1"] : V["0"],
    );
  } else {
    f.push(
      K["last-hello-message"],
      now - inst.lastHelloTime,
      K["voted-leader"],
      inst.leader ?? V["?"],
      K["voted-leader-epoch"],
      inst.leaderEpoch,
    );
  }
}

const memos = new WeakMap<InstanceView, PairMemo>();

/** The instance's own memo: instances answered together (SENTINEL REPLICAS) must not evict each other's pairs. */
function memoOf(inst: InstanceView): PairMemo {
  let memo = memos.get(inst);
  if (memo === undefined) {
    memo = new PairMemo();
    memos.set(inst, memo);
  }
  return memo;
}

/**
 * `addReplyDictOfRedisInstances`: an array of instance maps, each given with the master it belongs
 * to (a master with itself). Replicas that are not announced (`replica-announced:0` in their INFO)
 * are left out; `num-slaves` still counts them.
 */
export function instanceList(instances: Iterable<readonly [InstanceView, MasterView]>, now: number, announceHostnames = false): ArrayReply {
  const items: MapReply[] = [];
  for (const [inst, master] of instances) {
    if (inst.kind === "replica" && !inst.replicaAnnounced) continue;
    items.push(instanceMap(inst, master, now, announceHostnames));
  }
  return array(items);
}
