import { type Address, type GlobalSettings, GlobalSettingsSchema, type KnownSentinel, MasterSettingsSchema, type PersistedMaster } from "@vigil/core";
import { DEFAULT_DIALECT, type SentinelDialect } from "@vigil/transport-redis";
import { atoi, parseYesNo, strtoull } from "./c-numbers.js";
import type { ConfigError } from "./config-error.js";
import { ipLiteral } from "./ip-literal.js";

/** A `sentinel ...` line waiting for its pass (Redis queues them and applies them after the file). */
export interface SentinelLine {
  readonly path: string;
  readonly line: number;
  readonly lineText: string;
  /** Arguments after `sentinel`: `args[0]` is the sub-directive as written. */
  readonly args: readonly string[];
}

/** Values from generic directives that also belong in {@link GlobalSettings}. */
export interface GenericGlobals {
  readonly port: number;
  readonly requirePass: string | undefined;
  readonly loglevel: GlobalSettings["loglevel"];
}

/** What the sentinel lines establish. */
export interface SentinelConfig {
  readonly myId: string | undefined;
  readonly currentEpoch: number;
  readonly global: GlobalSettings;
  /** In `sentinel monitor` order. */
  readonly masters: readonly PersistedMaster[];
}

/** Outcome of {@link applySentinelLines}. */
export type SentinelResult = { readonly ok: true; readonly config: SentinelConfig } | { readonly ok: false; readonly error: ConfigError };

/**
 * Sub-directives applied in the first pass, before any master exists (Redis's `preMonitorCfgName`):
 * they change how the rest is read (`resolve-hostnames`) or are global.
 */
const PRE_MONITOR = new Set([
  "announce-ip",
  "announce-port",
  "deny-scripts-reconfig",
  "sentinel-user",
  "sentinel-pass",
  "current-epoch",
  "myid",
  "resolve-hostnames",
  "announce-hostnames",
]);

const UNRECOGNIZED = "Unrecognized sentinel configuration statement.";
const NO_SUCH_MASTER = "No such master with specified name.";
const RUN_ID_SIZE = 40;

interface MasterDraft {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly quorum: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  parallelSyncs?: number;
  authPass?: string;
  authUser?: string;
  notificationScript?: string;
  clientReconfigScript?: string;
  masterRebootDownAfterMs?: number;
  crashDownAfterMs?: number;
  fenceWrites?: boolean;
  fenceStaleMaster?: boolean;
  fenceMaxLagS?: number;
  /** Lower-cased command → new name; Redis's table is case-insensitive. */
  readonly renamedCommands: Map<string, string>;
  configEpoch: number;
  leaderEpoch: number;
  readonly knownReplicas: Address[];
  readonly knownSentinels: KnownSentinel[];
  readonly source: SentinelLine;
}

interface Draft {
  myId: string | undefined;
  currentEpoch: number;
  announceIp: string | undefined;
  announcePort: number;
  denyScriptsReconfig: boolean;
  resolveHostnames: boolean;
  announceHostnames: boolean;
  sentinelUser: string | undefined;
  sentinelPass: string | undefined;
  readonly masters: Map<string, MasterDraft>;
}

/**
 * Validate an instance address like Redis's `createSentinelAddr`: port range first
 * (`Invalid port number.`), then the host, which must be an IP literal unless resolve-hostnames is
 * on (then any name is accepted unresolved, as Redis does when loading the config).
 */
function instanceAddress(draft: Draft, host: string, portText: string): Address | string {
  const port = atoi(portText);
  if (port < 0 || port > 65535) return "Invalid port number.";
  const ip = ipLiteral(host);
  if (ip !== undefined) return { host: ip, port };
  // An empty host can never be connected to, resolved or not.
  if (!draft.resolveHostnames || host === "") return "Can't resolve instance hostname.";
  return { host, port };
}

function sameHostPort(a: Address, b: Address): boolean {
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/**
 * Apply one queued line (Redis's `sentinelHandleConfiguration`). Returns an error message or
 * `undefined`. Sub-directive names are case-insensitive; master names are case-sensitive.
 */
function applyLine(draft: Draft, entry: SentinelLine, isExecutable: (path: string) => boolean, dialect: SentinelDialect): string | undefined {
  const args = entry.args;
  const sub = args[0]!.toLowerCase();
  const argc = args.length;
  const master = (): MasterDraft | undefined => draft.masters.get(args[1]!);

  if (sub === "monitor" && argc === 5) {
    const quorum = atoi(args[4]!);
    if (quorum <= 0) return "Quorum must be 1 or greater.";
    const addr = instanceAddress(draft, args[2]!, args[3]!);
    if (typeof addr === "string") return addr;
    if (draft.masters.has(args[1]!)) return "Duplicate master name.";
    // Redis accepts an empty name; Vigil's settings schema cannot represent one.
    if (args[1] === "") return "Master name can't be empty.";
    draft.masters.set(args[1]!, {
      name: args[1]!,
      host: addr.host,
      port: addr.port,
      quorum,
      renamedCommands: new Map(),
      configEpoch: 0,
      leaderEpoch: 0,
      knownReplicas: [],
      knownSentinels: [],
      source: entry,
    });
    return undefined;
  }
  if ((sub === "down-after-milliseconds" || sub === "failover-timeout") && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const ms = atoi(args[2]!);
    if (ms <= 0) return "negative or zero time parameter.";
    if (sub === "down-after-milliseconds") m.downAfterMs = ms;
    else m.failoverTimeoutMs = ms;
    return undefined;
  }
  if (sub === "parallel-syncs" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    // No range check: Redis stores whatever atoi gives (SENTINEL SET is stricter).
    m.parallelSyncs = atoi(args[2]!);
    return undefined;
  }
  if (sub === "notification-script" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    if (!isExecutable(args[2]!)) return "Notification script seems non existing or non executable.";
    m.notificationScript = args[2]!;
    return undefined;
  }
  if (sub === "client-reconfig-script" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    if (!isExecutable(args[2]!)) return "Client reconfiguration script seems non existing or non executable.";
    m.clientReconfigScript = args[2]!;
    return undefined;
  }
  if ((sub === "auth-pass" || sub === "auth-user") && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    if (sub === "auth-pass") m.authPass = args[2]!;
    else m.authUser = args[2]!;
    return undefined;
  }
  if ((sub === "vigil-fence-writes" || sub === "vigil-fence-stale-master") && argc === 3) {
    // Vigil extensions (docs/configuration.md); redis-sentinel rejects these lines.
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const on = parseYesNo(args[2]!);
    if (on === undefined) return `Please specify yes or no for the ${sub} option.`;
    if (sub === "vigil-fence-writes") m.fenceWrites = on;
    else m.fenceStaleMaster = on;
    return undefined;
  }
  if (sub === "vigil-fence-max-lag" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const s = atoi(args[2]!);
    if (s <= 0) return "negative or zero time parameter.";
    m.fenceMaxLagS = s;
    return undefined;
  }
  if (sub === "primary-reboot-down-after-period" && argc === 3 && dialect !== "valkey-8") {
    // Redis's own error, with the way out: the file was written by valkey-sentinel.
    return `${UNRECOGNIZED} (primary-reboot-down-after-period is Valkey's spelling: run with --vigil-dialect valkey-8)`;
  }
  const rebootPeriod = sub === "master-reboot-down-after-period" || sub === "primary-reboot-down-after-period";
  if ((rebootPeriod || sub === "vigil-crash-down-after") && argc === 3) {
    // vigil-crash-down-after: Vigil extension (crash detection, docs/configuration.md); 0 turns it off.
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const ms = atoi(args[2]!);
    if (ms < 0) return "negative time parameter.";
    if (sub === "vigil-crash-down-after") m.crashDownAfterMs = ms;
    else m.masterRebootDownAfterMs = ms;
    return undefined;
  }
  if (sub === "current-epoch" && argc === 2) {
    // Only ever raises: config-epoch lines may already have pushed it higher.
    draft.currentEpoch = Math.max(draft.currentEpoch, strtoull(args[1]!));
    return undefined;
  }
  if (sub === "myid" && argc === 2) {
    if (args[1]!.length !== RUN_ID_SIZE) return "Malformed Sentinel id in myid option.";
    draft.myId = args[1]!;
    return undefined;
  }
  if (sub === "config-epoch" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    m.configEpoch = strtoull(args[2]!);
    draft.currentEpoch = Math.max(draft.currentEpoch, m.configEpoch);
    return undefined;
  }
  if (sub === "leader-epoch" && argc === 3) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    m.leaderEpoch = strtoull(args[2]!);
    return undefined;
  }
  if ((sub === "known-replica" || sub === "known-slave") && argc === 4) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const addr = instanceAddress(draft, args[2]!, args[3]!);
    if (typeof addr === "string") return addr;
    if (m.knownReplicas.some((r) => sameHostPort(r, addr))) return "Duplicate hostname and port for replica.";
    m.knownReplicas.push(addr);
    return undefined;
  }
  if (sub === "known-sentinel" && (argc === 4 || argc === 5)) {
    // The pre-runid form (no runid) is ignored entirely, even for an unknown master, as in Redis.
    if (argc === 4) return undefined;
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    const addr = instanceAddress(draft, args[2]!, args[3]!);
    if (typeof addr === "string") return addr;
    const runId = args[4]!;
    if (m.knownSentinels.some((s) => s.runId === runId)) return "Duplicate runid for sentinel.";
    m.knownSentinels.push({ host: addr.host, port: addr.port, runId });
    return undefined;
  }
  if (sub === "rename-command" && argc === 4) {
    const m = master();
    if (!m) return NO_SUCH_MASTER;
    // Kept as written (Sentinel writes it back that way); duplicates are found case-insensitively.
    const command = args[2]!;
    if ([...m.renamedCommands.keys()].some((k) => k.toLowerCase() === command.toLowerCase())) return "Same command renamed multiple times with rename-command.";
    m.renamedCommands.set(command, args[3]!);
    return undefined;
  }
  if (sub === "announce-ip" && argc === 2) {
    // Empty means unset in the file (unlike SENTINEL CONFIG SET, which stores "").
    if (args[1] !== "") draft.announceIp = args[1]!;
    return undefined;
  }
  if (sub === "announce-port" && argc === 2) {
    const port = atoi(args[1]!);
    // Redis stores any atoi value; Vigil's settings only hold a real port.
    if (port < 0 || port > 65535) return "Invalid port number.";
    draft.announcePort = port;
    return undefined;
  }
  if (sub === "deny-scripts-reconfig" && argc === 2) {
    const b = parseYesNo(args[1]!);
    if (b === undefined) return "Please specify yes or no for the deny-scripts-reconfig options.";
    draft.denyScriptsReconfig = b;
    return undefined;
  }
  if (sub === "resolve-hostnames" && argc === 2) {
    const b = parseYesNo(args[1]!);
    if (b === undefined) return "Please specify yes or no for the resolve-hostnames option.";
    draft.resolveHostnames = b;
    return undefined;
  }
  if (sub === "announce-hostnames" && argc === 2) {
    const b = parseYesNo(args[1]!);
    if (b === undefined) return "Please specify yes or no for the announce-hostnames option.";
    draft.announceHostnames = b;
    return undefined;
  }
  if ((sub === "sentinel-user" || sub === "sentinel-pass") && argc === 2) {
    // Empty means "not set" and, as in Redis, does not clear an earlier line.
    if (args[1] === "") return undefined;
    if (sub === "sentinel-user") draft.sentinelUser = args[1]!;
    else draft.sentinelPass = args[1]!;
    return undefined;
  }
  return UNRECOGNIZED;
}

function errorAt(entry: SentinelLine, message: string): { ok: false; error: ConfigError } {
  return { ok: false, error: { path: entry.path, line: entry.line, lineText: entry.lineText, message } };
}

/**
 * Apply the queued `sentinel` lines in Redis's three passes so their order in the file does not
 * matter: pass 1 = global options ({@link PRE_MONITOR}), pass 2 = `monitor`, pass 3 = everything
 * else (per-master options need their master). Within a pass, file order. The first failure in
 * pass order is reported, exactly as `redis-sentinel` reports it.
 */
export function applySentinelLines(
  lines: readonly SentinelLine[],
  generic: GenericGlobals,
  isExecutable: (path: string) => boolean,
  dialect: SentinelDialect = DEFAULT_DIALECT,
): SentinelResult {
  const draft: Draft = {
    myId: undefined,
    currentEpoch: 0,
    announceIp: undefined,
    announcePort: 0,
    denyScriptsReconfig: true,
    resolveHostnames: false,
    announceHostnames: false,
    sentinelUser: undefined,
    sentinelPass: undefined,
    masters: new Map(),
  };
  const pass = (l: SentinelLine): number => {
    const sub = l.args[0]!.toLowerCase();
    return PRE_MONITOR.has(sub) ? 1 : sub === "monitor" ? 2 : 3;
  };
  for (const p of [1, 2, 3]) {
    for (const entry of lines) {
      if (pass(entry) !== p) continue;
      const message = applyLine(draft, entry, isExecutable, dialect);
      if (message !== undefined) return errorAt(entry, message);
    }
  }

  const masters: PersistedMaster[] = [];
  for (const m of draft.masters.values()) {
    const parsed = MasterSettingsSchema.safeParse({
      name: m.name,
      host: m.host,
      port: m.port,
      quorum: m.quorum,
      downAfterMs: m.downAfterMs,
      failoverTimeoutMs: m.failoverTimeoutMs,
      parallelSyncs: m.parallelSyncs,
      authPass: m.authPass,
      authUser: m.authUser,
      notificationScript: m.notificationScript,
      clientReconfigScript: m.clientReconfigScript,
      masterRebootDownAfterMs: m.masterRebootDownAfterMs,
      crashDownAfterMs: m.crashDownAfterMs,
      fenceWrites: m.fenceWrites,
      fenceStaleMaster: m.fenceStaleMaster,
      fenceMaxLagS: m.fenceMaxLagS,
      renamedCommands: Object.fromEntries(m.renamedCommands),
    });
    // Unreachable with the checks above; kept so a schema change surfaces as a config error, not a crash.
    if (!parsed.success) return errorAt(m.source, `Invalid master settings: ${parsed.error.issues[0]?.message ?? "unknown"}`);
    masters.push({
      settings: parsed.data,
      configEpoch: m.configEpoch,
      leaderEpoch: m.leaderEpoch,
      knownReplicas: m.knownReplicas,
      knownSentinels: m.knownSentinels,
    });
  }

  const global = GlobalSettingsSchema.parse({
    announceIp: draft.announceIp,
    announcePort: draft.announcePort,
    port: generic.port,
    resolveHostnames: draft.resolveHostnames,
    announceHostnames: draft.announceHostnames,
    denyScriptsReconfig: draft.denyScriptsReconfig,
    sentinelUser: draft.sentinelUser,
    sentinelPass: draft.sentinelPass,
    requirePass: generic.requirePass,
    loglevel: generic.loglevel,
  });
  return { ok: true, config: { myId: draft.myId, currentEpoch: draft.currentEpoch, global, masters } };
}
