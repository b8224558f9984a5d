import { error, type Reply } from "../../resp/reply.js";
import type { Connection } from "../connection.js";
import { err } from "../errors.js";
import type { CommandHandler } from "../types.js";

const INTERNAL = error("ERR internal error");
const KINDS = new Set(["simple", "error", "integer", "bulk", "null", "null-array", "array", "map", "set", "push", "verbatim", "double", "boolean"]);

/** A shallow guard so that a handler returning garbage costs an error reply, not a crash. */
function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && KINDS.has((value as { kind?: unknown }).kind as string);
}

/**
 * Runs an embedder-supplied handler (SENTINEL, INFO, ROLE, PUBLISH). Arguments are handed over
 * as UTF-8 strings plus the raw buffers; failures are reported and answered `-ERR internal error`.
 */
export function delegate(conn: Connection, command: string, argv: readonly Buffer[]): void | Promise<void> {
  const core = conn.core;
  const handler: CommandHandler | undefined = core.handlers[command as keyof typeof core.handlers];
  if (!handler) {
    conn.reply(err(`ERR no handler is configured for '${command}'`));
    return;
  }
  const settle = (value: unknown): void => {
    if (isReply(value)) {
      conn.reply(value);
      return;
    }
    core.report(new TypeError(`handler for '${command}' returned a non-reply value`), command);
    conn.reply(INTERNAL);
  };
  const fail = (e: unknown): void => {
    core.report(e, command);
    conn.reply(INTERNAL);
  };
  let result: Reply | Promise<Reply>;
  try {
    result = handler(
      argv.map((a) => a.toString("utf8")),
      { client: conn.info(), rawArgs: argv },
    );
  } catch (e) {
    fail(e);
    return;
  }
  if (result instanceof Promise) return result.then(settle, fail);
  settle(result);
}
