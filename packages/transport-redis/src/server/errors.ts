import { type ErrorReply, error } from "../resp/reply.js";
import { asciiUpper, binaryToBytes, cString } from "./byte-string.js";

/**
 * An error reply from a byte string. Server-built messages embed client bytes (argument values,
 * channel names), so they are assembled as byte strings and sent byte for byte.
 */
export function err(text: string): ErrorReply {
  return error(binaryToBytes(text));
}

/** Redis's `shared.syntaxerr`. */
export const SYNTAX_ERROR = err("ERR syntax error");
/** Redis's `shared.noautherr`. */
export const NOAUTH = err("NOAUTH Authentication required.");
/** The AUTH/HELLO failure text (Redis 7.0). */
export const WRONGPASS = err("WRONGPASS invalid username-password pair or user is disabled.");
/** `getLongLongFromObjectOrReply` without a custom message. */
export const NOT_AN_INTEGER = err("ERR value is not an integer or out of range");

/** The longest argument excerpt Redis quotes in "unknown command" (`%.128s`, and the args budget). */
const EXCERPT = 128;

/**
 * `-ERR unknown command '<cmd>', with args beginning with: '<a1>' '<a2>' ` — each argument quoted
 * and followed by a space, stopping once the list reaches 128 chars (the last one cut to fit),
 * C-string semantics (a NUL ends an argument), CR/LF turned into spaces by the encoder.
 */
export function unknownCommandError(argv: readonly Buffer[]): ErrorReply {
  let args = "";
  for (let i = 1; i < argv.length && args.length < EXCERPT; i++) {
    args += `'${cString(argv[i]!).slice(0, EXCERPT - args.length)}' `;
  }
  return err(`ERR unknown command '${cString(argv[0]!).slice(0, EXCERPT)}', with args beginning with: ${args}`);
}

/** `-ERR unknown subcommand '<sub>'. Try <CONTAINER> HELP.` */
export function unknownSubcommandError(argv: readonly Buffer[]): ErrorReply {
  return err(`ERR unknown subcommand '${cString(argv[1]!).slice(0, EXCERPT)}'. Try ${asciiUpper(cString(argv[0]!))} HELP.`);
}

/** `-ERR wrong number of arguments for '<fullname>' command` */
export function wrongArityError(fullName: string): ErrorReply {
  return err(`ERR wrong number of arguments for '${fullName}' command`);
}

/**
 * `addReplySubcommandSyntaxError`: what a container answers when a known subcommand gets an
 * argument count its own parser rejects (the table arity allowed it).
 */
export function subcommandSyntaxError(argv: readonly Buffer[]): ErrorReply {
  return err(
    `ERR unknown subcommand or wrong number of arguments for '${cString(argv[1]!).slice(0, EXCERPT)}'. Try ${asciiUpper(cString(argv[0]!))} HELP.`,
  );
}
