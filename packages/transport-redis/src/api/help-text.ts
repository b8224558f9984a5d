import { DEFAULT_DIALECT, type SentinelDialect } from "../dialect.js";
import { type ArrayReply, array, simple } from "../resp/reply.js";

/**
 * The lines of `SENTINEL HELP`, copied verbatim from Debian's `redis-sentinel` 7.0.15 (without the
 * header and the `HELP` trailer that `addReplyHelp` adds around them). Vigil's extensions (the
 * Valkey PRIMARY aliases) are deliberately not listed, so the text stays identical.
 */
export const SENTINEL_HELP_LINES: readonly string[] = [
  "CKQUORUM <master-name>",
  "    Check if the current Sentinel configuration is able to reach the quorum",
  "    needed to failover a master and the majority needed to authorize the",
  "    failover.",
  "CONFIG SET <param> <value>",
  "    Set a global Sentinel configuration parameter.",
  "CONFIG GET <param>",
  "    Get global Sentinel configuration parameter.",
  "DEBUG [<param> <value> ...]",
  "    Show a list of configurable time parameters and their values (milliseconds).",
  "    Or update current configurable parameters values (one or more).",
  "GET-MASTER-ADDR-BY-NAME <master-name>",
  "    Return the ip and port number of the master with that name.",
  "FAILOVER <master-name>",
  "    Manually failover a master node without asking for agreement from other",
  "    Sentinels",
  "FLUSHCONFIG",
  "    Force Sentinel to rewrite its configuration on disk, including the current",
  "    Sentinel state.",
  "INFO-CACHE <master-name>",
  "    Return last cached INFO output from masters and all its replicas.",
  "IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
  "    Check if the master specified by ip:port is down from current Sentinel's",
  "    point of view.",
  "MASTER <master-name>",
  "    Show the state and info of the specified master.",
  "MASTERS",
  "    Show a list of monitored masters and their state.",
  "MONITOR <name> <ip> <port> <quorum>",
  "    Start monitoring a new master with the specified name, ip, port and quorum.",
  "MYID",
  "    Return the ID of the Sentinel instance.",
  "PENDING-SCRIPTS",
  "    Get pending scripts information.",
  "REMOVE <master-name>",
  "    Remove master from Sentinel's monitor list.",
  "REPLICAS <master-name>",
  "    Show a list of replicas for this master and their state.",
  "RESET <pattern>",
  "    Reset masters for specific master name matching this pattern.",
  "SENTINELS <master-name>",
  "    Show a list of Sentinel instances for this master and their state.",
  "SET <master-name> <option> <value> [<option> <value> ...]",
  "    Set configuration parameters for certain masters.",
  "SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]",
  "    Simulate a Sentinel crash.",
];

/** `SENTINEL HELP` of Redis 7.2.6 (7.4 and 8.x alike): 7.0's with the multi-parameter CONFIG lines. */
const SENTINEL_HELP_LINES_72: readonly string[] = SENTINEL_HELP_LINES.map((l) =>
  l === "CONFIG SET <param> <value>" ? "CONFIG SET param value [param value ...]" : l === "CONFIG GET <param>" ? "CONFIG GET <param> [param param param ...]" : l,
);

/** `SENTINEL HELP` of `valkey-sentinel` 8.0.1, verbatim: PRIMARY names and wording. */
const SENTINEL_HELP_LINES_VALKEY: readonly string[] = [
  "CKQUORUM <primary-name>",
  "    Check if the current Sentinel configuration is able to reach the quorum",
  "    needed to failover a primary and the majority needed to authorize the",
  "    failover.",
  "CONFIG SET param value [param value ...]",
  "    Set a global Sentinel configuration parameter.",
  "CONFIG GET <param> [param param param ...]",
  "    Get global Sentinel configuration parameter.",
  "DEBUG [<param> <value> ...]",
  "    Show a list of configurable time parameters and their values (milliseconds).",
  "    Or update current configurable parameters values (one or more).",
  "GET-PRIMARY-ADDR-BY-NAME <primary-name>",
  "    Return the ip and port number of the primary with that name.",
  "FAILOVER <primary-name>",
  "    Manually failover a primary node without asking for agreement from other",
  "    Sentinels",
  "FLUSHCONFIG",
  "    Force Sentinel to rewrite its configuration on disk, including the current",
  "    Sentinel state.",
  "INFO-CACHE <primary-name>",
  "    Return last cached INFO output from primaries and all its replicas.",
  "IS-PRIMARY-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>",
  "    Check if the primary specified by ip:port is down from current Sentinel's",
  "    point of view.",
  "PRIMARY <primary-name>",
  "    Show the state and info of the specified primary.",
  "PRIMARIES",
  "    Show a list of monitored primaries and their state.",
  "MONITOR <name> <ip> <port> <quorum>",
  "    Start monitoring a new primary with the specified name, ip, port and quorum.",
  "MYID",
  "    Return the ID of the Sentinel instance.",
  "PENDING-SCRIPTS",
  "    Get pending scripts information.",
  "REMOVE <primary-name>",
  "    Remove primary from Sentinel's monitor list.",
  "REPLICAS <primary-name>",
  "    Show a list of replicas for this primary and their states.",
  "RESET <pattern>",
  "    Reset primaries for specific primary name matching this pattern.",
  "SENTINELS <primary-name>",
  "    Show a list of Sentinel instances for this primary and their state.",
  "SET <primary-name> <option> <value> [<option> <value> ...]",
  "    Set configuration parameters for certain primaries.",
  "SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]",
  "    Simulate a Sentinel crash.",
];

/** The `SENTINEL HELP` lines of a dialect (without header and trailer). */
export function sentinelHelpLines(dialect: SentinelDialect): readonly string[] {
  return dialect === "redis-7.0" ? SENTINEL_HELP_LINES : dialect === "redis-7.2" ? SENTINEL_HELP_LINES_72 : SENTINEL_HELP_LINES_VALKEY;
}

/**
 * `addReplyHelp` (Redis 7.0): a header naming the command, the lines, then `HELP` /
 * `    Prints this help.`, each as a status reply; Redis 7.2 and Valkey say `Print this help.`.
 */
export function helpReply(command: string, lines: readonly string[], dialect: SentinelDialect = DEFAULT_DIALECT): ArrayReply {
  const trailer = dialect === "redis-7.0" ? "    Prints this help." : "    Print this help.";
  const all = [`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, "HELP", trailer];
  return array(all.map((l) => simple(l)));
}
