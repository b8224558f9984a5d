import { type OptionLine, type PersistedState, rewriteOptions, rewrittenOptionNames } from "@vigil/core";
import { DEFAULT_DIALECT, optionNaming, type SentinelDialect } from "@vigil/transport-redis";
import { formatLine, reprArg } from "./tokenize.js";

/**
 * One line the rewrite wants in the file. `key` is the slot it may reuse (`sentinel monitor`, ...);
 * `force` = write it even when the old file has no line with that key (Redis's `force` flag).
 */
export interface RewriteLine {
  readonly key: string;
  readonly text: string;
  readonly force: boolean;
}

/** The defaults the rewrite compares against (Sentinel's `SENTINEL DEBUG` values at flush time). */
export interface SentinelLineDefaults {
  /** Current `default-down-after`: `down-after-milliseconds` equal to it is omitted. */
  readonly defaultDownAfterMs: number;
  /** Current `default-failover-timeout`: `failover-timeout` equal to it is omitted. */
  readonly defaultFailoverTimeoutMs: number;
  /** Whose spellings to write: valkey-8 writes `primary-reboot-down-after-period`, as valkey-sentinel does. */
  readonly dialect?: SentinelDialect;
}

/** The rewrite key of a per-master option: its Redis name, which old lines of either spelling share. */
export function optionKey(option: string): string {
  return `sentinel ${option}`;
}

/** Keys that are always "processed": their old lines go away unless a new value took the slot. */
const SENTINEL_KEYS: readonly string[] = [
  "sentinel monitor",
  ...rewrittenOptionNames().map(optionKey),
  "sentinel config-epoch",
  "sentinel leader-epoch",
  "sentinel known-replica",
  "sentinel known-sentinel",
  "sentinel announce-ip",
  "sentinel announce-port",
  "sentinel sentinel-user",
  "sentinel sentinel-pass",
];

/**
 * Sentinel's section of a config rewrite (`rewriteConfigSentinelOption`), in its exact order:
 * myid, the three global yes/no options (only when non-default or already present), every master
 * with its non-default options, epochs, known replicas, known sentinels and renames, then
 * current-epoch and the announce/auth globals. Returns the lines and every key the section owns.
 */
export function sentinelConfigLines(state: PersistedState, defaults: SentinelLineDefaults): { lines: RewriteLine[]; processed: readonly string[] } {
  const lines: RewriteLine[] = [];
  const add = (sub: string, args: readonly string[], force = true): void => {
    lines.push({ key: `sentinel ${sub}`, text: formatLine(["sentinel", sub, ...args]), force });
  };
  const yesNo = (b: boolean): string => (b ? "yes" : "no");
  const g = state.global;
  const naming = optionNaming(defaults.dialect ?? DEFAULT_DIALECT);
  const option = (l: OptionLine): void => {
    lines.push({ key: optionKey(l.option), text: formatLine(["sentinel", ...l.args]), force: true });
  };

  add("myid", [state.myId]);
  add("deny-scripts-reconfig", [yesNo(g.denyScriptsReconfig)], g.denyScriptsReconfig !== true);
  // resolve-hostnames must sit early so it is in effect for the monitor lines (pass 1 anyway).
  add("resolve-hostnames", [yesNo(g.resolveHostnames)], g.resolveHostnames);
  add("announce-hostnames", [yesNo(g.announceHostnames)], g.announceHostnames);

  for (const m of state.masters) {
    const s = m.settings;
    // Sentinel writes the announced name: the hostname only with announce-hostnames yes.
    add("monitor", [s.name, g.announceHostnames && s.hostname !== undefined ? s.hostname : s.host, String(s.port), String(s.quorum)]);
    // The options (the registry's order; Vigil's own only when set, so files stay loadable by redis-sentinel).
    const options = rewriteOptions(s, defaults, naming);
    options.first.forEach(option);
    add("config-epoch", [s.name, String(m.configEpoch)]);
    add("leader-epoch", [s.name, String(m.leaderEpoch)]);
    for (const r of m.knownReplicas) add("known-replica", [s.name, r.host, String(r.port)]);
    for (const p of m.knownSentinels) add("known-sentinel", [s.name, p.host, String(p.port), p.runId]);
    options.last.forEach(option);
  }

  add("current-epoch", [String(state.currentEpoch)]);
  if (g.announceIp !== undefined) {
    // Redis always writes announce-ip through sdscatrepr, i.e. quoted.
    lines.push({ key: "sentinel announce-ip", text: `sentinel announce-ip ${reprArg(g.announceIp)}`, force: true });
  }
  if (g.announcePort !== 0) add("announce-port", [String(g.announcePort)]);
  if (g.sentinelUser !== undefined) add("sentinel-user", [g.sentinelUser]);
  if (g.sentinelPass !== undefined) add("sentinel-pass", [g.sentinelPass]);
  return { lines, processed: SENTINEL_KEYS };
}
