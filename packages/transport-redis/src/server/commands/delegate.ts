import { error, type Reply } from "../../resp/reply.js";
import { argText } from "../arg-text.js";
import type { Connection } from "../connection.js";
import { err } from "../errors.js";
import type { ClientInfo, CommandContext, CommandHandler } from "../types.js";

const INTERNAL = error("ERR internal error");
const KINDS = new Set(["simple", "error", "integer", "bulk", "null", "null-array", "array", "map", "set", "push", "verbatim", "double", "boolean"]);

/** A shallow guard so that a handler returning garbage costs an error reply, not a crash. */
function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && KINDS.has((value as { kind?: unknown }).kind as string);
}

/**
 * The context of a handler that declares a single parameter (Vigil's own): it can only reach the
 * context through `arguments`, so the client snapshot (an object per command) is made only if it
 * is read. Nothing in it can change while the command runs.
 */
class LazyContext implements CommandContext {
  private snapshot: ClientInfo | undefined;

  constructor(
    private readonly conn: Connection,
    readonly rawArgs: readonly Buffer[],
  ) {}

  get client(): ClientInfo {
    this.snapshot ??= this.conn.info();
    return this.snapshot;
  }
}

/**
 * Runs an embedder-supplied handler (SENTINEL, INFO, ROLE, PUBLISH). Arguments are handed over
 * as UTF-8 strings plus the raw buffers; failures are reported and answered `-ERR internal error`.
 * A synchronous handler is answered synchronously (no promise, no closure).
 */
export function delegate(conn: Connection, command: string, argv: readonly Buffer[]): void | Promise<void> {
  const handler: CommandHandler | undefined = conn.core.handlers[command as "sentinel" | "info" | "role" | "publish"];
  if (!handler) {
    conn.reply(err(`ERR no handler is configured for '${command}'`));
    return;
  }
  const args: string[] = new Array(argv.length);
  for (let i = 0; i < argv.length; i++) args[i] = argText(argv[i]!);
  let result: Reply | Promise<Reply>;
  try {
    result = handler(args, handler.length === 1 ? new LazyContext(conn, argv) : { client: conn.info(), rawArgs: argv });
  } catch (e) {
    fail(conn, command, e);
    return;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => settle(conn, command, value),
      (e: unknown) => fail(conn, command, e),
    );
  }
  settle(conn, command, result);
}

function settle(conn: Connection, command: string, value: unknown): void {
  if (isReply(value)) {
    conn.reply(value);
    return;
  }
  conn.core.report(new TypeError(`handler for '${command}' returned a non-reply value`), command);
  conn.reply(INTERNAL);
}

function fail(conn: Connection, command: string, e: unknown): void {
  conn.core.report(e, command);
  conn.reply(INTERNAL);
}
