import { asciiLower, bytesToBinary } from "./byte-string.js";
import { clientListLine } from "./client-list.js";
import type { CommandSpec } from "./command-table.js";
import { BUILTINS } from "./commands/builtins.js";
import { delegate } from "./commands/delegate.js";
import type { Connection } from "./connection.js";
import { err, NOAUTH, unknownCommandError, unknownSubcommandError, wrongArityError } from "./errors.js";
import { channelDenial } from "./permissions.js";

/**
 * What happened to a command: done (`undefined`), still running (a promise that settles once its
 * replies are queued), or held back by CLIENT PAUSE (`paused`: re-dispatch it after the pause).
 */
export type DispatchOutcome = undefined | Promise<void> | "paused";

/** Commands a RESP2 client may still send while subscribed. */
const PUBSUB_CONTEXT_ALLOWED = new Set(["ping", "subscribe", "unsubscribe", "psubscribe", "punsubscribe"]);

/** Commands CLIENT PAUSE WRITE holds back: in the Sentinel table only PUBLISH may replicate. */
const PAUSED_BY_WRITE = new Set(["publish"]);

/**
 * Redis's `processCommand` for the Sentinel table, in Redis's order: lookup (unknown command /
 * subcommand), arity, authentication, ACL, the RESP2 Pub/Sub context, CLIENT PAUSE, then the call.
 */
export function dispatch(conn: Connection, argv: Buffer[]): DispatchOutcome {
  const core = conn.core;
  // Looked up before the HOST:/POST check below: neither is a command, so a hit rules them out.
  const spec = core.table.lookup(argv);
  if (!spec) {
    const name = asciiLower(bytesToBinary(argv[0]!));
    // Cross-protocol scripting: an HTTP request hitting the port. Redis drops such clients silently.
    if (name === "host:" || name === "post") {
      core.report(new Error(`possible SECURITY ATTACK detected from ${conn.addr}`), "security");
      conn.destroy();
      return undefined;
    }
    conn.lastCommand = "NULL";
    conn.reply(core.table.isContainer(name) && argv.length > 1 ? unknownSubcommandError(argv) : unknownCommandError(argv));
    return done(conn);
  }
  conn.lastCommand = spec.fullName;
  if ((spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity) {
    conn.reply(wrongArityError(spec.fullName));
    return done(conn);
  }
  const noAuth = spec.noAuth;
  if (conn.authRequired() && !noAuth) {
    conn.reply(NOAUTH);
    return done(conn);
  }
  if (!noAuth && !permitted(conn, spec, argv)) return done(conn);
  if (conn.isPubSub() && conn.protocol === 2 && !PUBSUB_CONTEXT_ALLOWED.has(spec.fullName)) {
    conn.reply(
      err(`ERR Can't execute '${spec.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`),
    );
    return done(conn);
  }
  const pause = core.pause();
  if (pause && (pause.mode === "all" || PAUSED_BY_WRITE.has(spec.fullName))) return "paused";

  let argvBytes = 0;
  for (let i = 0; i < argv.length; i++) argvBytes += argv[i]!.length;
  conn.argvBytes = argvBytes;
  const top = spec.top;
  const builtin = BUILTINS.get(top);
  // A delegated reply depends on the embedder's state too: replayable only if it says when that changed.
  const replay = spec.replay;
  const replayable =
    replay !== undefined &&
    core.settings.replayRequests &&
    (builtin !== undefined || (core.handlers.stateToken !== undefined && (replay === "state" || core.handlers.clock !== undefined)));
  // Any command that runs may change what a recorded reply depends on, unless it is one of the
  // replayable ones (server/request-memo.ts); an asynchronous one again when it completes.
  if (!replayable) core.generation++;
  // A clock command's reply is tied to the millisecond its handler reads: noted before it runs.
  else if (replay === "clock") conn.replayClock = core.clock();
  const running = builtin ? builtin({ conn, argv, spec }) : delegate(conn, top, argv);
  // Counted once the command ran, like Redis's call(): INFO does not count itself.
  if (!running) {
    conn.ranReplayable = replayable ? replay : undefined;
    core.counters.commandsProcessed++;
    conn.totCmds++;
    return done(conn);
  }
  return running.then(() => {
    core.generation++;
    core.counters.commandsProcessed++;
    conn.totCmds++;
    conn.afterCommand();
  });
}

function done(conn: Connection): undefined {
  conn.afterCommand();
  return undefined;
}

/** ACL: command permission, then channel permission; a denial is logged and answered NOPERM. */
function permitted(conn: Connection, spec: CommandSpec, argv: readonly Buffer[]): boolean {
  const core = conn.core;
  const user = conn.user;
  if (!user.allCommands) {
    core.aclLog.add({
      reason: "command",
      context: "toplevel",
      object: spec.fullName,
      username: user.name,
      createdAt: Date.now(),
      clientInfo: clientListLine(conn),
    });
    conn.reply(err(`NOPERM this user has no permissions to run the '${spec.fullName}' command`));
    return false;
  }
  const denied = channelDenial(user, spec.fullName, argv);
  if (denied !== undefined) {
    core.aclLog.add({
      reason: "channel",
      context: "toplevel",
      object: denied,
      username: user.name,
      createdAt: Date.now(),
      clientInfo: clientListLine(conn),
    });
    conn.reply(err("NOPERM this user has no permissions to access one of the channels used as arguments"));
    return false;
  }
  return true;
}
