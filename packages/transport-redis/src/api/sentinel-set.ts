import type { EngineOutput } from "@vigil/core";
import { error, OK, type Reply } from "../resp/reply.js";
import { parseLongLong, toInt32, toUint32 } from "./c-integers.js";
import { applyOutputs } from "./engine-effects.js";
import { FLUSH_FAILED, NO_SUCH_MASTER } from "./errors.js";
import type { ApiScope } from "./scope.js";

const SCRIPTS_DENIED = error(
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration",
);

/** How an integer option is checked and stored (C field types: `mstime_t`, `int`, `unsigned int`). */
type IntegerRule = { readonly min: bigint; readonly store: (v: bigint) => number };

const INTEGER_OPTIONS: Readonly<Record<string, IntegerRule>> = {
  "down-after-milliseconds": { min: 1n, store: Number },
  "failover-timeout": { min: 1n, store: Number },
  "parallel-syncs": { min: 1n, store: toInt32 },
  quorum: { min: 1n, store: toUint32 },
  "master-reboot-down-after-period": { min: 0n, store: Number },
  // Valkey 8's spelling (valkey-8 dialect only); Valkey still accepts the master- one too.
  "primary-reboot-down-after-period": { min: 0n, store: Number },
  // Vigil extension (write fencing): seconds of replica lag tolerated while fenced.
  "vigil-fence-max-lag": { min: 1n, store: Number },
  // Vigil extension (crash detection): ms of refused connections that make an instance SDOWN; 0 = off.
  "vigil-crash-down-after": { min: 0n, store: Number },
};

const SCRIPT_OPTIONS: Readonly<Record<string, string>> = {
  "notification-script": "ERR Notification script seems non existing or non executable",
  "client-reconfig-script": "ERR Client reconfiguration script seems non existing or non executable",
};

/**
 * `SENTINEL SET <name> <option> <value> [<option> <value> ...]` (§17.1.1). Options are
 * case-insensitive and processed left to right; each accepted one is applied at once (with its
 * `+set` event). The first bad one stops the command with its error, after the changes made so far
 * are flushed silently. Success replies with the flush result.
 *
 * Integer values must be canonical integers (`string2ll`): > 0 for down-after-milliseconds,
 * failover-timeout, parallel-syncs and quorum, ≥ 0 for master-reboot-down-after-period. Script
 * paths are refused while `deny-scripts-reconfig yes`, and must be executable unless empty (empty
 * clears). `rename-command` takes two non-empty values.
 *
 * Values are stored like C stores them (`parallel-syncs` in an `int`, `quorum` in an `unsigned
 * int`), except that a quorum that this truncation would turn into 0 is refused as an invalid
 * argument. The `+set` event names the option in lower case (Sentinel echoes it as typed).
 */
export function setCommand(s: ApiScope, argv: readonly string[]): Reply {
  const master = s.engine.view().master(argv[2]!);
  if (master === undefined) return NO_SUCH_MASTER;
  const name = master.name;
  const outputs: EngineOutput[] = [];
  const stop = (reply: Reply): Reply => {
    applyOutputs(s.runtime, outputs);
    return reply;
  };

  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!;
    const key = option.toLowerCase();
    const remaining = argv.length - 1 - j;
    const unknown = error(`ERR Unknown option or number of arguments for SENTINEL SET '${option}'`);
    const invalid = (value: string) => error(`ERR Invalid argument '${value}' for SENTINEL SET '${option}'`);

    const rule = key === "primary-reboot-down-after-period" && s.dialect !== "valkey-8" ? undefined : INTEGER_OPTIONS[key];
    if (rule !== undefined) {
      if (remaining < 1) return stop(unknown);
      const text = argv[++j]!;
      const value = parseLongLong(text);
      if (value === undefined || value < rule.min) return stop(invalid(text));
      const stored = rule.store(value);
      if (key === "quorum" && stored === 0) return stop(invalid(text));
      outputs.push(s.engine.setOption(s.now, name, key, String(stored)));
      continue;
    }

    const scriptError = SCRIPT_OPTIONS[key];
    if (scriptError !== undefined) {
      if (remaining < 1) return stop(unknown);
      const path = argv[++j]!;
      if (s.engine.global.denyScriptsReconfig) return stop(SCRIPTS_DENIED);
      if (path !== "" && !s.ctx.isExecutable(path)) return stop(error(scriptError));
      outputs.push(s.engine.setOption(s.now, name, key, path));
      continue;
    }

    if (key === "auth-pass" || key === "auth-user") {
      if (remaining < 1) return stop(unknown);
      outputs.push(s.engine.setOption(s.now, name, key, argv[++j]!));
      continue;
    }

    if (key === "vigil-fence-writes" || key === "vigil-fence-stale-master") {
      // Vigil extension: yes|no (docs/operations.md).
      if (remaining < 1) return stop(unknown);
      const text = argv[++j]!;
      if (text.toLowerCase() !== "yes" && text.toLowerCase() !== "no") return stop(invalid(text));
      outputs.push(s.engine.setOption(s.now, name, key, text.toLowerCase()));
      continue;
    }

    if (key === "rename-command") {
      if (remaining < 2) return stop(unknown);
      const command = argv[++j]!;
      const renamed = argv[++j]!;
      if (command === "" || renamed === "") return stop(invalid(""));
      outputs.push(s.engine.setOption(s.now, name, key, [command, renamed]));
      continue;
    }

    return stop(unknown);
  }
  return applyOutputs(s.runtime, outputs) ? OK : FLUSH_FAILED;
}
