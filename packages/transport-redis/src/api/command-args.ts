/** One command argument as the RESP server hands it over: text, or the raw bytes of a bulk string. */
export type CommandArg = string | Buffer;

/** An argument as text (bytes are read as UTF-8, which round-trips every valid UTF-8 name). */
export function argText(arg: CommandArg): string {
  return typeof arg === "string" ? arg : arg.toString("utf8");
}

/** Every argument as text; `argv` itself when it is all text already (what the server hands over). */
export function argvText(argv: readonly CommandArg[]): readonly string[] {
  for (let i = 0; i < argv.length; i++) if (typeof argv[i] !== "string") return argv.map(argText);
  return argv as readonly string[];
}
