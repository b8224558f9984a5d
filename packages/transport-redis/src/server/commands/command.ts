import { array, bulk, integer, map, NULL, type Reply, simple } from "../../resp/reply.js";
import { argIs, asciiLower, bytesToBinary } from "../byte-string.js";
import type { CommandSpec, CommandTable } from "../command-table.js";
import { err, SYNTAX_ERROR } from "../errors.js";
import { globMatch } from "../glob.js";
import type { Invocation } from "./invocation.js";


/** Every command followed by its subcommands, the order COMMAND LIST and ACL CAT walk the table. */
export function walkCommands(table: CommandTable): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of table.commands.values()) {
    out.push(spec);
    out.push(...spec.subcommands.values());
  }
  return out;
}

/** COMMAND [COUNT | LIST | INFO | DOCS | GETKEYS | GETKEYSANDFLAGS | HELP] over the Sentinel table. */
export function commandCommand({ conn, argv, spec }: Invocation): void {
  const table = conn.core.table;
  switch (spec.fullName) {
    case "command":
      conn.reply(array([...table.commands.values()].map((c) => c.info)));
      return;
    case "command|count":
      conn.reply(integer(table.commands.size));
      return;
    case "command|list":
      conn.reply(commandList(table, argv));
      return;
    case "command|info":
      conn.reply(
        argv.length === 2
          ? array([...table.commands.values()].map((c) => c.info))
          : array(argv.slice(2).map((a) => table.lookupFullName(bytesToBinary(a))?.info ?? NULL)),
      );
      return;
    case "command|docs":
      conn.reply(commandDocs(table, argv));
      return;
    case "command|getkeys":
    case "command|getkeysandflags":
      // No Sentinel command takes keys, so a known command can only get this answer.
      conn.reply(table.lookup(argv.slice(2)) ? err("ERR The command has no key arguments") : err("ERR Invalid command specified"));
      return;
    default:
      conn.reply(array(conn.core.settings.data.COMMAND_HELP.map((l) => simple(l))));
  }
}

function commandList(table: CommandTable, argv: readonly Buffer[]): Reply {
  let filter: ((c: CommandSpec) => boolean) | undefined;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (!argIs(argv[i], "filterby") || more !== 2) return SYNTAX_ERROR;
    const arg = bytesToBinary(argv[i + 2]!);
    if (argIs(argv[i + 1], "module")) filter = () => false;
    else if (argIs(argv[i + 1], "aclcat")) filter = (c) => c.categories.has(asciiLower(arg));
    else if (argIs(argv[i + 1], "pattern")) filter = (c) => globMatch(arg, c.fullName, true);
    else return SYNTAX_ERROR;
    i += 2;
  }
  const all = walkCommands(table);
  return array((filter ? all.filter(filter) : all).map((c) => bulk(c.fullName)));
}

function commandDocs(table: CommandTable, argv: readonly Buffer[]): Reply {
  if (argv.length === 2) return map([...table.commands.values()].map((c) => [bulk(c.fullName), c.docs] as const));
  const entries: (readonly [Reply, Reply])[] = [];
  for (const a of argv.slice(2)) {
    const c = table.lookupFullName(bytesToBinary(a));
    if (c) entries.push([bulk(c.fullName), c.docs]);
  }
  return map(entries);
}
