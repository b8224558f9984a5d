import type { SentinelDialect } from "../dialect.js";
import type { Reply } from "../resp/reply.js";
import { unknownSubcommand, wrongArity } from "./errors.js";
import { helpReply, sentinelHelpLines } from "./help-text.js";
import type { ApiScope, SubcommandHandler } from "./scope.js";
import { ckquorumCommand } from "./sentinel-ckquorum.js";
import { configCommand } from "./sentinel-config.js";
import { failoverCommand, flushConfigCommand, myIdCommand, resetCommand, simulateFailureCommand } from "./sentinel-control.js";
import { debugCommand } from "./sentinel-debug.js";
import { infoCacheCommand } from "./sentinel-info-cache.js";
import { getMasterAddrCommand, masterCommand, mastersCommand, replicasCommand, sentinelsCommand } from "./sentinel-instances.js";
import { isMasterDownCommand } from "./sentinel-is-master-down.js";
import { monitorCommand, removeCommand } from "./sentinel-monitor.js";
import { pendingScriptsCommand } from "./sentinel-pending-scripts.js";
import { setCommand } from "./sentinel-set.js";
import { vigilExplainCommand, vigilFailoverPlanCommand, vigilSwitchoverPlanCommand } from "./sentinel-vigil-explain.js";

/** Arity of the `SENTINEL` container itself: at least the subcommand. */
export const SENTINEL_ARITY = -2;

/** One `SENTINEL` subcommand as the command table knows it (for the dispatcher and `COMMAND`). */
export interface SentinelSubcommand {
  /** Lower case, as in `sentinel|<name>`. */
  readonly name: string;
  /**
   * Redis arity counting the whole command (`SENTINEL` + subcommand + arguments); negative means
   * "at least". `config` is -3 in the redis-7.0 dialect and -4 in the others.
   */
  readonly arity: number;
  /** Set on Valkey's PRIMARY spellings (served in the valkey-8 dialect only). */
  readonly aliasOf?: string;
}

interface TableEntry extends SentinelSubcommand {
  readonly handler: SubcommandHandler;
  /** A Vigil extension (`vigil-*`): served only when asked for, and never enumerated. */
  readonly extension?: boolean;
}

const help: SubcommandHandler = (s) => helpReply("sentinel", sentinelHelpLines(s.dialect), s.dialect);

/** Sentinel 7.0's subcommands, then the Valkey aliases. */
const TABLE: readonly TableEntry[] = [
  { name: "ckquorum", arity: 3, handler: ckquorumCommand },
  { name: "config", arity: -3, handler: configCommand },
  { name: "debug", arity: -2, handler: debugCommand },
  { name: "failover", arity: -3, handler: failoverCommand },
  { name: "flushconfig", arity: 2, handler: flushConfigCommand },
  { name: "get-master-addr-by-name", arity: 3, handler: getMasterAddrCommand },
  { name: "help", arity: 2, handler: help },
  { name: "info-cache", arity: -3, handler: infoCacheCommand },
  { name: "is-master-down-by-addr", arity: 6, handler: isMasterDownCommand },
  { name: "master", arity: 3, handler: masterCommand },
  { name: "masters", arity: 2, handler: mastersCommand },
  { name: "monitor", arity: 6, handler: monitorCommand },
  { name: "myid", arity: 2, handler: myIdCommand },
  { name: "pending-scripts", arity: 2, handler: pendingScriptsCommand },
  { name: "remove", arity: 3, handler: removeCommand },
  { name: "replicas", arity: 3, handler: replicasCommand },
  { name: "reset", arity: 3, handler: resetCommand },
  { name: "sentinels", arity: 3, handler: sentinelsCommand },
  { name: "set", arity: -5, handler: setCommand },
  { name: "simulate-failure", arity: -3, handler: simulateFailureCommand },
  { name: "slaves", arity: 3, handler: replicasCommand },
  { name: "get-primary-addr-by-name", arity: 3, aliasOf: "get-master-addr-by-name", handler: getMasterAddrCommand },
  { name: "is-primary-down-by-addr", arity: 6, aliasOf: "is-master-down-by-addr", handler: isMasterDownCommand },
  { name: "primaries", arity: 2, aliasOf: "masters", handler: mastersCommand },
  { name: "primary", arity: 3, aliasOf: "master", handler: masterCommand },
  { name: "vigil-explain", arity: 3, extension: true, handler: vigilExplainCommand },
  { name: "vigil-failover-plan", arity: 3, extension: true, handler: vigilFailoverPlanCommand },
  { name: "vigil-switchover-plan", arity: -3, extension: true, handler: vigilSwitchoverPlanCommand },
];

/**
 * The subcommands of that dialect's Sentinel (`sentinel|<name>`): what `COMMAND COUNT|LIST|INFO|DOCS`
 * enumerate. Vigil's extensions are never in it, even when served.
 */
export function sentinelSubcommands(dialect: SentinelDialect): readonly SentinelSubcommand[] {
  return table(dialect, false).map(({ name, arity, aliasOf }) => (aliasOf === undefined ? { name, arity } : { name, arity, aliasOf }));
}

/** The dispatcher's table: the dialect's subcommands (PRIMARY ones only for Valkey), plus the extensions if served. */
function table(dialect: SentinelDialect, extensions: boolean): TableEntry[] {
  return TABLE.filter((e) => (dialect === "valkey-8" || e.aliasOf === undefined) && (extensions || e.extension !== true)).map((e) =>
    e.name === "config" && dialect !== "redis-7.0" ? { ...e, arity: -4 } : e,
  );
}

/** Does `argc` satisfy `arity` (Redis rule: exact when positive, minimum when negative)? */
export function arityOk(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

/**
 * Dispatch `SENTINEL <subcommand> ...` the way Redis's command table does: arity of the container,
 * then lookup of the subcommand (case-insensitive) — `unknown subcommand '<sub>'. Try SENTINEL
 * HELP.` — then its arity — `wrong number of arguments for 'sentinel|<sub>' command` — then the
 * handler. `argv` is the whole command, `argv[0]` being `SENTINEL` as typed.
 */
export function createSentinelDispatcher(dialect: SentinelDialect, extensions = false): (scope: () => ApiScope, argv: readonly string[]) => Reply {
  const byName = new Map(table(dialect, extensions).map((e) => [e.name, e]));
  // Clients spell subcommands in lower or upper case: both are found without lower-casing first.
  const byUpper = new Map([...byName].map(([name, e]) => [name.toUpperCase(), e]));
  return (scope, argv) => {
    if (!arityOk(SENTINEL_ARITY, argv.length)) return wrongArity("sentinel");
    const sub = argv[1]!;
    const entry = byName.get(sub) ?? byUpper.get(sub) ?? byName.get(sub.toLowerCase());
    if (entry === undefined) return unknownSubcommand(sub, "sentinel");
    if (!arityOk(entry.arity, argv.length)) return wrongArity(`sentinel|${entry.name}`);
    return entry.handler(scope(), argv);
  };
}
