import { setRenamedCommand } from "../renamed-commands.js";
import { invalidSetArgument, type OptionSpec } from "./option-spec.js";

/** One `rename-command` entry: the command as the operator wrote it, and the name to send instead. */
export interface CommandRename {
  readonly command: string;
  readonly renamed: string;
}

/**
 * `rename-command <command> <renamed>`: the one two-valued option. SENTINEL SET replaces an earlier
 * rename of the command (any case) and drops a rename to itself; a config file may rename a command
 * only once, and keeps even a rename to itself, as Redis's loader does.
 */
export const RENAME_COMMAND_OPTION: OptionSpec<CommandRename> = {
  name: "rename-command",
  arity: 2,
  field: "renamedCommands",
  example: ["CONFIG", "GUARDED-CONFIG"],
  parseSet: ([command = "", renamed = ""], _env, typed) =>
    command === "" || renamed === "" ? { ok: false, error: invalidSetArgument(typed, "") } : { ok: true, value: { command, renamed } },
  parseConfig: ([command = "", renamed = ""], env) => {
    const taken = Object.keys(env.current.renamedCommands ?? {}).some((k) => k.toLowerCase() === command.toLowerCase());
    return taken ? { ok: false, error: "Same command renamed multiple times with rename-command." } : { ok: true, value: { command, renamed } };
  },
  store: (t, v) => {
    t.renamedCommands ??= {};
    setRenamedCommand(t.renamedCommands, v.command, v.renamed);
  },
  storeLoaded: (t, v) => {
    (t.renamedCommands ??= {})[v.command] = v.renamed;
  },
  show: (v) => `${v.command} ${v.renamed}`,
  rewrite: (s) => Object.entries(s.renamedCommands).map(([command, renamed]) => [command, renamed]),
  rewriteLast: true,
};
