import type { GlobalSettings } from "../../settings/global-settings.js";
import type { MasterSettingsInput } from "../../settings/master-settings.js";
import { setRenamedCommand } from "../../settings/renamed-commands.js";
import type { EngineContext } from "../context/engine-context.js";
import { liftFences } from "../fencing/fence-upkeep.js";
import { closeLink, dropDataLinks, recordRemoved, release } from "../links/link-registry.js";
import type { MasterRecord } from "../records.js";
import { addMaster, resetMaster } from "../topology/topology-changes.js";

// The operator's commands (§13, §17): MONITOR, REMOVE, SET, CONFIG SET, RESET. Validation is the
// API layer's job; these apply, announce and mark the state for persisting.

/** `SENTINEL MONITOR`: add the master, `+monitor`, persist. */
export function monitorMaster(c: EngineContext, settings: MasterSettingsInput): void {
  const m = addMaster(c, { settings: { downAfterMs: c.timing.defaultDownAfter, failoverTimeoutMs: c.timing.defaultFailoverTimeout, ...settings } }, c.now);
  c.markDirty();
  c.emit("+monitor", "warning", `${c.details(m, m)} quorum ${m.settings.quorum}`, m);
}

/** `SENTINEL REMOVE <name>`: `-monitor`, forget the master and its links, persist. */
export function removeMaster(c: EngineContext, name: string): void {
  const m = c.masters.get(name);
  if (!m) return;
  c.emit("-monitor", "warning", c.details(m, m), m);
  liftFences(c, m, { staleMaster: true, writes: "all" });
  for (const inst of [...m.replicas.values(), ...m.sentinels.values(), m]) {
    recordRemoved(c, inst, m);
    release(c, inst.link);
  }
  c.masters.delete(name);
  c.fenced.delete(m);
  c.markDirty();
}

/** `SENTINEL RESET <pattern>`: reset every master whose name matches (§13.1). Returns the count. */
export function resetMasters(c: EngineContext, matches: (name: string) => boolean): number {
  let count = 0;
  for (const m of c.masters.values()) {
    if (!matches(m.name)) continue;
    // The master stays watched (its write fence is kept in step); the forgotten instances are not.
    liftFences(c, m, { staleMaster: true, writes: "replicas" });
    resetMaster(c, m, false);
    c.emit("+reset-master", "warning", c.details(m, m), m);
    count++;
  }
  return count;
}

/**
 * Apply one `SENTINEL SET` option (§17.1.1) and emit `+set`. `value` is the raw text; rename-command
 * passes `[command, renamed]`. Unknown options change nothing.
 */
export function setMasterOption(c: EngineContext, name: string, option: string, value: string | readonly [string, string]): void {
  const m = c.masters.get(name);
  if (!m) return;
  let shown: string;
  if (option === "rename-command") {
    const [cmd, renamed] = value as readonly [string, string];
    setRenamedCommand(m.settings.renamedCommands, cmd, renamed);
    shown = `rename-command ${cmd} ${renamed}`;
  } else {
    const applied = applyOption(c, m, option, value as string);
    if (applied === null) return;
    shown = `${option} ${applied}`;
  }
  c.emit("+set", "warning", `${c.details(m, m)} ${shown}`, m);
  c.markDirty();
}

/** One scalar option onto the master's settings; the value as `+set` shows it, or null if unknown. */
function applyOption(c: EngineContext, m: MasterRecord, option: string, value: string): string | null {
  const s = m.settings;
  switch (option) {
    case "down-after-milliseconds":
      s.downAfterMs = Number(value);
      break;
    case "failover-timeout":
      s.failoverTimeoutMs = Number(value);
      break;
    case "parallel-syncs":
      s.parallelSyncs = Number(value);
      break;
    case "quorum":
      s.quorum = Number(value);
      break;
    case "master-reboot-down-after-period":
    case "primary-reboot-down-after-period": // Valkey's spelling
      s.masterRebootDownAfterMs = Number(value);
      break;
    case "vigil-crash-down-after":
      s.crashDownAfterMs = Number(value);
      break;
    case "notification-script":
      s.notificationScript = value === "" ? undefined : value;
      break;
    case "client-reconfig-script":
      s.clientReconfigScript = value === "" ? undefined : value;
      break;
    case "vigil-fence-writes":
      setFenceWrites(c, m, value.toLowerCase() === "yes");
      break;
    case "vigil-fence-stale-master":
      s.fenceStaleMaster = value.toLowerCase() === "yes";
      if (!s.fenceStaleMaster) liftFences(c, m, { staleMaster: true, writes: "none" });
      break;
    case "vigil-fence-max-lag":
      s.fenceMaxLagS = Number(value);
      m.fence = null;
      break;
    case "auth-pass":
      s.authPass = value === "" ? undefined : value;
      dropDataLinks(c, m);
      return "******";
    case "auth-user":
      s.authUser = value === "" ? undefined : value;
      dropDataLinks(c, m);
      break;
    default:
      return null;
  }
  return value;
}

/** Turning write fencing off lifts the fences we set (rule 5: nothing of ours outlives our watch). */
function setFenceWrites(c: EngineContext, m: MasterRecord, on: boolean): void {
  if (!on) liftFences(c, m, { staleMaster: false, writes: "all" });
  m.settings.fenceWrites = on;
  m.fence = null;
}

/** `SENTINEL CONFIG SET`: apply validated global settings; new peer credentials reconnect the peers. */
export function setGlobalSettings(c: EngineContext, patch: Partial<GlobalSettings>): void {
  const peerCredsChanged = ("sentinelUser" in patch && patch.sentinelUser !== c.global.sentinelUser) || ("sentinelPass" in patch && patch.sentinelPass !== c.global.sentinelPass);
  c.global = { ...c.global, ...patch };
  if (peerCredsChanged) {
    for (const l of c.links.values()) if (l.peer === "sentinel") closeLink(c, l);
  }
  c.markDirty();
}
