import { type ErrorReply, error } from "../resp/reply.js";

/** `sentinelGetMasterByNameOrReplyError`. */
export const NO_SUCH_MASTER: ErrorReply = error("ERR No such master with that name");

/** `sentinelFlushConfigAndReply` when the config could not be written. */
export const FLUSH_FAILED: ErrorReply = error("ERR Failed to save config file. Check server logs.");

/** `getLongFromObjectOrReply(c, o, &v, NULL)` on a bad value. */
export const NOT_AN_INTEGER: ErrorReply = error("ERR value is not an integer or out of range");

/** The dispatcher's arity error; `fullname` is `sentinel` or `sentinel|<subcommand>` (lower case). */
export function wrongArity(fullname: string): ErrorReply {
  return error(`ERR wrong number of arguments for '${fullname}' command`);
}

/**
 * The dispatcher's error for an unknown subcommand of a container command. Like the C
 * `%.128s`, the subcommand is cut at 128 bytes (or at a NUL byte).
 */
export function unknownSubcommand(sub: string, container: string): ErrorReply {
  let bytes = Buffer.from(sub, "utf8");
  const nul = bytes.indexOf(0);
  if (nul !== -1) bytes = bytes.subarray(0, nul);
  if (bytes.length > 128) bytes = bytes.subarray(0, 128);
  const text = Buffer.concat([Buffer.from("ERR unknown subcommand '"), bytes, Buffer.from(`'. Try ${container.toUpperCase()} HELP.`)]);
  return error(bytes.length === Buffer.byteLength(sub, "utf8") ? text.toString("utf8") : text);
}
