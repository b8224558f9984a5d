import { formatConfigError } from "../config/config-error.js";
import type { LoadedConfig } from "../config/load-config.js";
import { tokenize } from "../config/tokenize.js";

/**
 * A `user` line the RESP server refused (an ACL rule it does not support, a bad password hash...),
 * reported like Redis reports it while loading the config: `Error in user declaration '<rule>':
 * <reason>` at the line of that user. The server throws `invalid ACL rule '<rule>' for user
 * '<name>': <reason>`; anything else is reported as it is.
 */
export function userDeclarationError(error: unknown, config: LoadedConfig): string {
  const text = error instanceof Error ? error.message : String(error);
  const m = /^invalid ACL rule '(.*)' for user '(.*)': (.*)$/s.exec(text);
  if (!m) return text;
  const [, rule, user, reason] = m as unknown as [string, string, string, string];
  const index = config.lines.findIndex((l) => {
    const t = tokenize(l.trim());
    return t.ok && t.args[0]?.toLowerCase() === "user" && t.args[1] === user && t.args.includes(rule);
  });
  if (index < 0) return `Error in user declaration '${rule}': ${reason}`;
  return formatConfigError({ path: config.path, line: index + 1, lineText: config.lines[index]!.trim(), message: `Error in user declaration '${rule}': ${reason}` });
}
