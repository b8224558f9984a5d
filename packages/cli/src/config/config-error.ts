/**
 * A config file that cannot be loaded. Carries what Redis prints on a fatal config error, so the
 * daemon can report it in the same shape and operators' log scrapers keep working.
 */
export interface ConfigError {
  /** The file the offending line came from. */
  readonly path: string;
  /** 1-based line number; command-line overrides are numbered after the file's lines, as in Redis. */
  readonly line: number;
  /** The offending line, trimmed as Redis trims it. */
  readonly lineText: string;
  /** Redis's message for the failure, verbatim where Redis has one. */
  readonly message: string;
  /** The line is a command-line option (`--name value`) appended after the file's lines, not a line of the file. */
  readonly fromCommandLine?: boolean;
}

/**
 * Render an error the way Redis does on stderr (Redis: `*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***`).
 * `product` replaces `Redis <version>` in the banner.
 */
export function formatConfigError(error: ConfigError, product = "Vigil"): string {
  return (
    `*** FATAL CONFIG FILE ERROR (${product}) ***\n` +
    // Redis says "configuration file" for command-line options too, which sends users looking for
    // a line the file does not have.
    (error.fromCommandLine
      ? `Reading the command-line option --${error.lineText.split(" ")[0]} (appended to the configuration file as line ${error.line})\n`
      : `Reading the configuration file, at line ${error.line}\n`) +
    `>>> '${error.lineText}'\n` +
    `${error.message}`
  );
}
