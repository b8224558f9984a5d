import {
  type Address,
  applyLoadedOption,
  atoi,
  findConfigOption,
  type GlobalSettings,
  GlobalSettingsSchema,
  type KnownSentinel,
  type MasterSettingsInput,
  MasterSettingsSchema,
  type OptionTarget,
  type PersistedMaster,
  parseConfigOption,
  parseYesNo,
  strtoull,
} from "@vigil/core";
import { DEFAULT_DIALECT, optionNaming, type SentinelDialect } from "@vigil/transport-redis";
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
  /** What the monitor line and the option lines set; the schema fills in the defaults. */
  readonly settings: OptionTarget & Pick<MasterSettingsInput, "name" | "host" | "port" | "quorum">;
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

/** What a line handler says: the error message, `undefined` when applied, {@link NOT_MINE} when the line is another handler's. */
type LineOutcome = string | undefined | typeof NOT_MINE;
const NOT_MINE = Symbol("not mine");

/**
 * A per-master option line (`sentinel down-after-milliseconds <master> <ms>`, ...): read and
 * checked by the option registry in core, with Redis's messages.
 */
function applyOptionLine(draft: Draft, args: readonly string[], isExecutable: (path: string) => boolean, dialect: SentinelDialect): LineOutcome {
  const sub = args[0]!.toLowerCase();
  const found = findConfigOption(sub, args.length - 2, optionNaming(dialect));
  if (found.kind === "other") return NOT_MINE;
  // Redis's own error, with the way out: the file was written by valkey-sentinel.
  if (found.kind === "foreign-spelling") return `${UNRECOGNIZED} (${sub} is Valkey's spelling: run with --vigil-dialect valkey-8)`;
  const m = draft.masters.get(args[1]!);
  if (!m) return NO_SUCH_MASTER;
  const parsed = parseConfigOption(found.option, sub, args.slice(2), { isExecutable, current: m.settings });
  if (!parsed.ok) return parsed.error;
  applyLoadedOption(m.settings, parsed.value);
  return undefined;
}

/** `sentinel monitor` and the lines of a master's state: epochs, known replicas and sentinels. */
function applyMasterLine(draft: Draft, entry: SentinelLine): LineOutcome {
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
    const settings = { name: args[1]!, host: addr.host, port: addr.port, quorum };
    draft.masters.set(args[1]!, { settings, configEpoch: 0, leaderEpoch: 0, knownReplicas: [], knownSentinels: [], source: entry });
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
  return NOT_MINE;
}

/** The global lines: this sentinel's identity and epoch, announcing, peer credentials. */
function applyGlobalLine(draft: Draft, args: readonly string[]): LineOutcome {
  const sub = args[0]!.toLowerCase();
  const argc = args.length;
  if (argc !== 2) return NOT_MINE;
  const value = args[1]!;
  switch (sub) {
    case "current-epoch":
      // Only ever raises: config-epoch lines may already have pushed it higher.
      draft.currentEpoch = Math.max(draft.currentEpoch, strtoull(value));
      return undefined;
    case "myid":
      if (value.length !== RUN_ID_SIZE) return "Malformed Sentinel id in myid option.";
      draft.myId = value;
      return undefined;
    case "announce-ip":
      // Empty means unset in the file (unlike SENTINEL CONFIG SET, which stores "").
      if (value !== "") draft.announceIp = value;
      return undefined;
    case "announce-port": {
      const port = atoi(value);
      // Redis stores any atoi value; Vigil's settings only hold a real port.
      if (port < 0 || port > 65535) return "Invalid port number.";
      draft.announcePort = port;
      return undefined;
    }
    case "deny-scripts-reconfig":
    case "resolve-hostnames":
    case "announce-hostnames": {
      const b = parseYesNo(value);
      // Redis's texts, plural typo included.
      if (b === undefined) return `Please specify yes or no for the ${sub} ${sub === "deny-scripts-reconfig" ? "options" : "option"}.`;
      if (sub === "deny-scripts-reconfig") draft.denyScriptsReconfig = b;
      else if (sub === "resolve-hostnames") draft.resolveHostnames = b;
      else draft.announceHostnames = b;
      return undefined;
    }
    case "sentinel-user":
    case "sentinel-pass":
      // Empty means "not set" and, as in Redis, does not clear an earlier line.
      if (value === "") return undefined;
      if (sub === "sentinel-user") draft.sentinelUser = value;
      else draft.sentinelPass = value;
      return undefined;
    default:
      return NOT_MINE;
  }
}

/**
 * Apply one queued line (Redis's `sentinelHandleConfiguration`). Returns an error message or
 * `undefined`. Sub-directive names are case-insensitive; master names are case-sensitive.
 */
function applyLine(draft: Draft, entry: SentinelLine, isExecutable: (path: string) => boolean, dialect: SentinelDialect): string | undefined {
  for (const outcome of [
    () => applyOptionLine(draft, entry.args, isExecutable, dialect),
    () => applyMasterLine(draft, entry),
    () => applyGlobalLine(draft, entry.args),
  ]) {
    const result = outcome();
    if (result !== NOT_MINE) return result;
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
    const parsed = MasterSettingsSchema.safeParse(m.settings);
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
