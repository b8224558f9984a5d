import { explainMaster, planFailover, planSwitchover, sectionLines } from "@vigil/core";
import { bulkArray, error, type Reply } from "../resp/reply.js";
import { NO_SUCH_MASTER } from "./errors.js";
import type { ApiScope } from "./scope.js";
import { switchoverWords } from "./sentinel-control.js";

/**
 * `SENTINEL VIGIL-EXPLAIN <master>` (a Vigil extension, not in redis-sentinel): plain-text lines
 * saying why the master is or is not down, which peers agree, whether this Sentinel could be
 * elected, and which replica would be promoted and why the others would not. Read-only.
 */
export function vigilExplainCommand(s: ApiScope, argv: readonly string[]): Reply {
  const e = explainMaster(s.engine, argv[2]!, s.now);
  return e ? bulkArray(sectionLines(e.sections)) : NO_SUCH_MASTER;
}

/**
 * `SENTINEL VIGIL-FAILOVER-PLAN <master>` (a Vigil extension): what `SENTINEL FAILOVER <master>`
 * would do now — or the error it would answer — as plain-text lines, without doing anything.
 */
export function vigilFailoverPlanCommand(s: ApiScope, argv: readonly string[]): Reply {
  const p = planFailover(s.engine, argv[2]!, s.now);
  return p ? bulkArray(sectionLines(p.sections)) : NO_SUCH_MASTER;
}

/**
 * `SENTINEL VIGIL-SWITCHOVER-PLAN <master> [TO <ip> <port>] [TIMEOUT <ms>]` (a Vigil extension): what
 * `SENTINEL FAILOVER <master> COORDINATED` would do now, or the error it would answer. Read-only.
 */
export function vigilSwitchoverPlanCommand(s: ApiScope, argv: readonly string[]): Reply {
  const options = switchoverWords(argv.slice(3));
  if (typeof options === "string") return error(options);
  const p = planSwitchover(s.engine, argv[2]!, s.now, options);
  return p ? bulkArray(sectionLines(p.sections)) : NO_SUCH_MASTER;
}

/** Vigil's `SENTINEL` extension subcommands, for the server's command table (`COMMAND`, ACL, arity). */
export const VIGIL_SENTINEL_SUBCOMMANDS: readonly { readonly name: string; readonly arity: number; readonly summary: string }[] = [
  { name: "vigil-explain", arity: 3, summary: "Explain the failover view of a master in plain text (Vigil extension)" },
  { name: "vigil-failover-plan", arity: 3, summary: "Show what SENTINEL FAILOVER would do, without doing it (Vigil extension)" },
  { name: "vigil-switchover-plan", arity: -3, summary: "Show what SENTINEL FAILOVER COORDINATED would do, without doing it (Vigil extension)" },
];
