/**
 * `rename-command` as every link applies it: the instance's name for `cmd` (matched
 * case-insensitively, as Sentinel does), or `cmd` itself when it is not renamed.
 */
export function commandRenamer(renames: Readonly<Record<string, string>>): (cmd: string) => string {
  return (cmd) => renames[cmd.toLowerCase()] ?? cmd;
}
