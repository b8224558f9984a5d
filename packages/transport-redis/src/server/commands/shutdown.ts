import type { Reply } from "../../resp/reply.js";
import { asciiUpper, cString } from "../byte-string.js";
import { err, SYNTAX_ERROR } from "../errors.js";
import type { Invocation } from "./invocation.js";

const OPTIONS = new Set(["NOSAVE", "SAVE", "NOW", "FORCE", "ABORT"]);
const FAILED = err("ERR Errors trying to SHUTDOWN. Check logs.");

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: options validated as Redis does; Sentinel never
 * saves, so the remaining flags are only passed on. ABORT has nothing to abort (shutdown is not
 * asynchronous here). Then the embedder's hook decides; on success nobody gets a reply, every
 * client connection is closed, as when Redis exits.
 */
export function shutdownCommand({ conn, argv }: Invocation): void | Promise<void> {
  const flags: string[] = [];
  for (const a of argv.slice(1)) {
    const opt = asciiUpper(cString(a));
    if (!OPTIONS.has(opt)) return conn.reply(SYNTAX_ERROR);
    flags.push(opt);
  }
  const abort = flags.includes("ABORT");
  if ((abort && flags.length > 1) || (flags.includes("SAVE") && flags.includes("NOSAVE"))) return conn.reply(SYNTAX_ERROR);
  if (abort) return conn.reply(err("ERR No shutdown in progress."));
  const core = conn.core;
  const hook = core.options.onShutdown;
  if (!hook) {
    core.shutdown();
    return;
  }
  const finish = (reply: Reply | undefined): void => {
    if (reply) conn.reply(reply);
    else core.kill({});
  };
  const fail = (e: unknown): void => {
    core.report(e, "shutdown");
    conn.reply(FAILED);
  };
  try {
    const result = hook({ client: conn.info(), flags });
    if (result instanceof Promise) return result.then(finish, fail);
    finish(result);
  } catch (e) {
    fail(e);
  }
}
