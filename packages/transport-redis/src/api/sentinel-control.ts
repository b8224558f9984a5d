import type { SwitchoverOptions } from "@vigil/core";
import { bulk, bulkArray, error, integer, OK, type Reply } from "../resp/reply.js";
import { FLUSH_FAILED, NO_SUCH_MASTER, wrongArity } from "./errors.js";
import { matchesGlob } from "./glob-match.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL RESET <pattern>`: reset every master whose name matches the glob (case-sensitive),
 * publishing `+reset-master` for each; the reply is how many. The config is not flushed (§13.1).
 */
export function resetCommand(s: ApiScope, argv: readonly string[]): Reply {
  const pattern = argv[2]!;
  const { count, output } = s.engine.reset(s.now, (name) => matchesGlob(pattern, name, false));
  s.runtime.apply(output);
  return integer(count);
}

/**
 * `SENTINEL FAILOVER <name> [COORDINATED [TO <ip> <port>] [TIMEOUT <ms>]]` (§11.10; COORDINATED as
 * in Valkey 9, TO / TIMEOUT are Vigil's): `+OK` once the failover has started; refused while one
 * runs or when no replica is currently eligible. COORDINATED starts a switchover (an elected
 * hand-over through the master's `FAILOVER TO`); it is refused, before any epoch changes, when the
 * master is down or has no `FAILOVER` command. Not flushed (the epoch bump is persisted by the
 * self-vote that follows, §10.1).
 */
export function failoverCommand(s: ApiScope, argv: readonly string[]): Reply {
  // Valkey 9's order: the name, then the option word (one word only, unless it is COORDINATED).
  if (argv.length > 3 && s.engine.getMasterAddrByName(argv[2]!) === null) return NO_SUCH_MASTER;
  if (argv.length > 4 && argv[3]!.toLowerCase() !== "coordinated") return wrongArity("sentinel|failover");
  const options = argv.length > 3 ? switchoverOptions(argv.slice(3)) : undefined;
  if (typeof options === "string") return error(options);
  const { result, output } = s.engine.failover(s.now, argv[2]!, options);
  s.runtime.apply(output);
  switch (result) {
    case "ok":
      return OK;
    case "no-such-master":
      return NO_SUCH_MASTER;
    case "inprog":
      return error("INPROG Failover already in progress");
    case "nogoodslave":
      return error("NOGOODSLAVE No suitable replica to promote");
    case "no-such-replica":
      return error("ERR No such replica of this master");
    case "master-down":
      return error("ERR The master is not reachable or not a master: a coordinated failover needs a live master (use SENTINEL FAILOVER without COORDINATED)");
    case "not-supported":
      return error(NOT_SUPPORTED);
  }
}

/** Valkey 9's reply to COORDINATED for a master whose INFO has no `master_failover_state`. */
const NOT_SUPPORTED = "NOGOODPRIMARY Primary does not support FAILOVER command";
/** Valkey 9's reply to a word after the name other than COORDINATED (and Vigil's to one after it). */
const UNKNOWN_OPTION = "ERR Unknown failover option specified";
const SYNTAX_ERROR = "ERR syntax error";

/** `COORDINATED [TO <ip> <port>] [TIMEOUT <ms>]`, or the error text. */
function switchoverOptions(args: readonly string[]): SwitchoverOptions | string {
  if (args[0]!.toLowerCase() !== "coordinated") return UNKNOWN_OPTION;
  const words = switchoverWords(args.slice(1));
  return words === SYNTAX_ERROR ? UNKNOWN_OPTION : words;
}


/** `[TO <ip> <port>] [TIMEOUT <ms>]` (any order), or the error text. */
export function switchoverWords(args: readonly string[]): SwitchoverOptions | string {
  let to: SwitchoverOptions["to"];
  let timeoutMs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!.toLowerCase();
    if (word === "to" && args[i + 2] !== undefined) {
      const port = Number(args[i + 2]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) return "ERR Invalid port";
      to = { host: args[i + 1]!, port };
      i += 2;
    } else if (word === "timeout" && args[i + 1] !== undefined) {
      const ms = Number(args[i + 1]);
      if (!Number.isInteger(ms) || ms <= 0) return "ERR TIMEOUT must be a positive integer (milliseconds)";
      timeoutMs = ms;
      i += 1;
    } else return SYNTAX_ERROR;
  }
  return { ...(to ? { to } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** `SENTINEL FLUSHCONFIG`: rewrite the config now. */
export function flushConfigCommand(s: ApiScope): Reply {
  return s.runtime.apply(s.engine.flushConfig(s.now)) ? OK : FLUSH_FAILED;
}

/** `SENTINEL MYID`: the persisted 40-character Sentinel id. */
export function myIdCommand(s: ApiScope): Reply {
  return bulk(s.engine.myId);
}

const CRASH_AFTER_ELECTION = 1;
const CRASH_AFTER_PROMOTION = 2;

/**
 * `SENTINEL SIMULATE-FAILURE <flag> ...`: the flags are cleared, then set left to right
 * (case-insensitive); `help` answers the list of flags at once; an unknown word stops with an error,
 * keeping the flags set before it.
 */
export function simulateFailureCommand(s: ApiScope, argv: readonly string[]): Reply {
  s.engine.simulateFailureFlags = 0;
  for (const arg of argv.slice(2)) {
    const word = arg.toLowerCase();
    if (word === "crash-after-election") s.engine.simulateFailureFlags |= CRASH_AFTER_ELECTION;
    else if (word === "crash-after-promotion") s.engine.simulateFailureFlags |= CRASH_AFTER_PROMOTION;
    else if (word === "help") return bulkArray(["crash-after-election", "crash-after-promotion"]);
    else return error("ERR Unknown failure simulation specified");
  }
  return OK;
}
