/**
 * `rename-command` entries keep the command's spelling as the operator wrote it (Sentinel writes it
 * back that way), while lookups ignore case. Renaming a command to itself (any case) removes it.
 */
export function setRenamedCommand(renames: Record<string, string>, command: string, renamed: string): void {
  for (const key of Object.keys(renames)) if (key.toLowerCase() === command.toLowerCase()) delete renames[key];
  if (command.toLowerCase() !== renamed.toLowerCase()) renames[command] = renamed;
}

/** The same entries keyed by lower-case command name, for case-insensitive lookups. */
export function renamesByLowerName(renames: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(renames).map(([k, v]) => [k.toLowerCase(), v]));
}
