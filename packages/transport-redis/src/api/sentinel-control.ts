import { bulk, bulkArray, error, integer, OK, type Reply } from "../resp/reply.js";
import { FLUSH_FAILED, NO_SUCH_MASTER } from "./errors.js";
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
 * `SENTINEL FAILOVER <name>` (§11.10): `+OK` once the forced failover has started; refused while
 * one runs or when no replica is currently eligible. Not flushed (the epoch bump is persisted by the
 * self-vote that follows, §10.1).
 */
export function failoverCommand(s: ApiScope, argv: readonly string[]): Reply {
  const { result, output } = s.engine.failover(s.now, argv[2]!);
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
  }
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
