import type { RankingContext, RankingReplica } from "../../ranking/replica-ranking.js";
import { pingInterval } from "../../settings/timing.js";
import { type Address, sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { promotedReplica } from "../failover/failover-driver.js";
import type { KnownSentinel, PersistedMaster, PersistedState } from "../persisted-state.js";
import { linkDisconnected, type MasterRecord, type ReplicaRecord } from "../records.js";

/** Durable state, in the shape sentinel.conf stores it (§19.3). */
export function persistedState(c: EngineContext): PersistedState {
  const masters: PersistedMaster[] = [];
  for (const m of c.masters.values()) {
    const cur = currentAddress(m);
    const knownReplicas: Address[] = [];
    for (const r of m.replicas.values()) knownReplicas.push(sameAddress(r.addr, cur) ? m.addr : r.addr);
    const knownSentinels: KnownSentinel[] = [];
    for (const s of m.sentinels.values()) knownSentinels.push({ host: s.addr.host, port: s.addr.port, runId: s.runId });
    masters.push({
      settings: { ...m.settings, host: cur.host, port: cur.port, renamedCommands: { ...m.settings.renamedCommands } },
      configEpoch: m.configEpoch,
      leaderEpoch: m.leaderEpoch,
      knownReplicas,
      knownSentinels,
    });
  }
  return { myId: c.myId, currentEpoch: c.epoch, global: { ...c.global }, masters };
}

/** The ranking inputs for a master's replicas at `now` (used by selection, FAILOVER's pre-check and explain). */
export function rankingInputs(c: EngineContext, m: MasterRecord, now: number): { replicas: (RankingReplica & { record: ReplicaRecord })[]; ctx: RankingContext } {
  const replicas = [...m.replicas.values()].map((r) => ({
    key: r.name,
    runId: r.runId,
    sdown: r.health.value === "sdown",
    odown: false,
    disconnected: linkDisconnected(r.link),
    lastAvailTime: r.link.lastAvailTime,
    slavePriority: r.slavePriority,
    infoRefresh: r.infoRefresh,
    masterLinkDownTimeMs: r.masterLinkDownTime,
    replOffset: r.replOffset,
    reportsMaster: r.roleReported === "master",
    record: r,
  }));
  const ctx: RankingContext = {
    now,
    // Sentinel's 5 × ping-period rules, with the period the replicas are actually pinged at when the
    // adaptive cadence is slower than the profile's (never below the profile's: Sentinel's exact rule).
    pingPeriod: Math.max(c.timing.pingPeriod, pingInterval(c.timing, m.settings.downAfterMs)),
    infoPeriod: c.timing.infoPeriod,
    masterDownAfterMs: m.settings.downAfterMs,
    masterSdownSince: m.health.value === "sdown" ? m.health.context.sdownSince : null,
  };
  return { replicas, ctx };
}

/** The address clients should use: the promoted replica from RECONF_SLAVES on (§11.5). */
export function currentAddress(m: MasterRecord): Address {
  const st = m.failover.value;
  if (st === "reconf_slaves" || st === "update_config") {
    const r = promotedReplica(m);
    if (r) return r.addr;
  }
  return m.addr;
}
