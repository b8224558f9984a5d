import type { CommandSpec } from "../command-table.js";
import type { Connection } from "../connection.js";

/** One call of a built-in command, after every generic check passed. */
export interface Invocation {
  readonly conn: Connection;
  /** Raw arguments, the command name first. */
  readonly argv: readonly Buffer[];
  /** The command or subcommand that matched. */
  readonly spec: CommandSpec;
}

/**
 * A command the server implements itself. It answers through `inv.conn.reply` (several times
 * for SUBSCRIBE and friends). It may return a promise; the connection waits for it.
 */
export type Builtin = (inv: Invocation) => void | Promise<void>;
