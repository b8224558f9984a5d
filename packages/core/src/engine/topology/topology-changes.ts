import { transition } from "xstate";
import { odownMachine } from "../../machines/odown.machine.js";
import { MasterSettingsSchema } from "../../settings/master-settings.js";
import { type Address, sameAddress } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import { addSentinel } from "../discovery/hello-gossip.js";
import { applyFailover } from "../failover/failover-driver.js";
import { abandonSwitchover } from "../failover/switchover-driver.js";
import { closeLink, linkFor, recordAdded, recordRemoved, release } from "../links/link-registry.js";
import { freshHealth, type MasterRecord, newMaster, newReplica, type ReplicaRecord } from "../records.js";
import type { MasterSeed } from "../sentinel-engine.js";

export function addReplica(c: EngineContext, m: MasterRecord, addr: Address): ReplicaRecord {
  const r = newReplica(addr, linkFor(c, addr, "instance"), c.now);
  const replaced = m.replicas.get(r.name);
  m.replicas.set(r.name, r);
  recordAdded(c, r, m, replaced);
  return r;
}

export function addMaster(c: EngineContext, seed: MasterSeed, now: number): MasterRecord {
  const settings = MasterSettingsSchema.parse(seed.settings);
  const m = newMaster(settings, linkFor(c, { host: settings.host, port: settings.port }, "instance"), now);
  m.configEpoch = seed.configEpoch ?? 0;
  m.leaderEpoch = seed.leaderEpoch ?? 0;
  if (m.configEpoch > c.epoch) c.epoch = m.configEpoch;
  c.masters.set(m.name, m);
  recordAdded(c, m, m);
  for (const r of seed.knownReplicas ?? []) if (!sameAddress(r, m.addr)) addReplica(c, m, r);
  for (const s of seed.knownSentinels ?? []) if (s.runId !== c.myId) addSentinel(c, m, { host: s.host, port: s.port }, s.runId);
  return m;
}

export function resetMaster(c: EngineContext, m: MasterRecord, keepSentinels: boolean): void {
  m.dueAt = 0;
  abandonSwitchover(c, m, "superseded");
  for (const r of m.replicas.values()) {
    recordRemoved(c, r, m);
    release(c, r.link);
  }
  m.replicas.clear();
  if (!keepSentinels) {
    for (const s of m.sentinels.values()) {
      recordRemoved(c, s, m);
      release(c, s.link);
    }
    m.sentinels.clear();
  }
  closeLink(c, m.link);
  m.health = freshHealth();
  [m.odown] = transition(odownMachine, m.odown, { type: "RESET" });
  applyFailover(c, m, { type: "RESET", now: c.now });
  m.leader = null;
  m.reboot = false;
  m.scriptKillSent = false;
  m.runId = null;
  const l = m.link;
  l.actPingTime = c.now;
  l.lastAvailTime = c.now;
  l.lastPongTime = c.now;
  l.lastPingTime = 0;
  m.roleReported = "master";
  m.roleReportedTime = c.now;
}

export function resetAndChangeAddress(c: EngineContext, m: MasterRecord, to: Address): void {
  const keep: Address[] = [];
  for (const r of m.replicas.values()) if (!sameAddress(r.addr, to)) keep.push(r.addr);
  if (!sameAddress(to, m.addr)) keep.push(m.addr);
  // Keep the connection we already have to the new master (it was a replica link): rebind first.
  const newLinkRec = linkFor(c, to, "instance");
  resetMaster(c, m, true);
  recordRemoved(c, m, m);
  release(c, m.link);
  m.link = newLinkRec;
  recordAdded(c, m, m);
  m.addr = to;
  m.settings.host = to.host;
  m.settings.port = to.port;
  m.settings.hostname = undefined;
  m.link.actPingTime = m.link.cmd === "up" ? 0 : c.now;
  m.link.lastAvailTime = c.now;
  for (const addr of keep) {
    const r = addReplica(c, m, addr);
    c.emit("+slave", "notice", c.details(r, m), m);
  }
  c.markDirty();
}
