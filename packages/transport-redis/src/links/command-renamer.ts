/**
 * `rename-command` as every link applies it: the instance's name for `cmd` (matched
 * case-insensitively, as Sentinel does), or `cmd` itself when it is not renamed.
 */
export function commandRenamer(renames: Readonly<Record<string, string>>): (cmd: string) => string {
  // Most deployments rename nothing: no lower-casing (a new string per command) then.
  if (Object.keys(renames).length === 0) return (cmd) => cmd;
  return (cmd) => renames[cmd.toLowerCase()] ?? cmd;
}

/** `args` with its command name passed through `rename`: the same array when the name stays. */
export function renamedArgs(args: readonly string[], rename: (cmd: string) => string): readonly string[] {
  const name = rename(args[0]!);
  return name === args[0] ? args : [name, ...args.slice(1)];
}
