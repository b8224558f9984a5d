import type { GlobalSettings } from "../../settings/global-settings.js";
import type { MasterSettingsInput } from "../../settings/master-settings.js";
import type { MasterOptionChange, MasterOptionName } from "../../settings/options/master-options.js";
import { applyOptionChange, showOptionChange } from "../../settings/options/option-changes.js";
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

/** What changing an option does beyond storing it, before and after the value is stored. */
interface OptionEffect {
  readonly before?: (c: EngineContext, m: MasterRecord, change: MasterOptionChange) => void;
  readonly after?: (c: EngineContext, m: MasterRecord, change: MasterOptionChange) => void;
}

const OPTION_EFFECTS: { readonly [K in MasterOptionName]?: OptionEffect } = {
  // New credentials: reconnect the data links with them.
  "auth-pass": { after: (c, m) => dropDataLinks(c, m) },
  "auth-user": { after: (c, m) => dropDataLinks(c, m) },
  // Turning write fencing off lifts the fences we set (rule 5: nothing of ours outlives our watch);
  // lifted while the setting still says which instances carry them.
  "vigil-fence-writes": {
    before: (c, m, change) => {
      if (change.value === false) liftFences(c, m, { staleMaster: false, writes: "all" });
    },
    after: (_c, m) => {
      m.fence = null;
    },
  },
  "vigil-fence-stale-master": {
    after: (c, m, change) => {
      if (change.value === false) liftFences(c, m, { staleMaster: true, writes: "none" });
    },
  },
  // The fence is re-sent with the new lag.
  "vigil-fence-max-lag": {
    after: (_c, m) => {
      m.fence = null;
    },
  },
};

/** Apply one `SENTINEL SET` option (§17.1.1), already parsed by the option registry, and emit `+set`. */
export function setMasterOption(c: EngineContext, name: string, change: MasterOptionChange): void {
  const m = c.masters.get(name);
  if (!m) return;
  const effect = OPTION_EFFECTS[change.option];
  effect?.before?.(c, m, change);
  applyOptionChange(m.settings, change);
  effect?.after?.(c, m, change);
  c.emit("+set", "warning", `${c.details(m, m)} ${showOptionChange(change)}`, m);
  c.markDirty();
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
