import { type EngineOutput, findMasterOption, parseSetOption, type SetEnv } from "@vigil/core";
import { optionNaming } from "../dialect.js";
import { error, OK, type Reply } from "../resp/reply.js";
import { applyOutputs } from "./engine-effects.js";
import { FLUSH_FAILED, NO_SUCH_MASTER } from "./errors.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL SET <name> <option> <value> [<option> <value> ...]` (§17.1.1). Options are
 * case-insensitive and processed left to right; each accepted one is applied at once (with its
 * `+set` event). The first bad one stops the command with its error, after the changes made so far
 * are flushed silently. Success replies with the flush result.
 *
 * What each option accepts, and the error for what it does not, is the option registry's
 * (`MASTER_OPTIONS` in core): Sentinel's rules and texts, per dialect. An unknown option, or one
 * without enough values, is refused here.
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
  const env: SetEnv = { isExecutable: (path) => s.ctx.isExecutable(path), denyScriptsReconfig: s.engine.global.denyScriptsReconfig };

  for (let j = 3; j < argv.length; j++) {
    const typed = argv[j]!;
    const option = findMasterOption(typed.toLowerCase(), optionNaming(s.dialect));
    if (option === undefined || argv.length - 1 - j < option.arity) return stop(error(`ERR Unknown option or number of arguments for SENTINEL SET '${typed}'`));
    const values = argv.slice(j + 1, j + 1 + option.arity);
    j += option.arity;
    const parsed = parseSetOption(option, typed, values, env);
    if (!parsed.ok) return stop(error(parsed.error));
    outputs.push(s.engine.setOption(s.now, name, parsed.value));
  }
  return applyOutputs(s.runtime, outputs) ? OK : FLUSH_FAILED;
}
