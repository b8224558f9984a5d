import type { Reply } from "../resp/reply.js";
import { asciiLower } from "./byte-string.js";
import { CLIENT_HELP, COMMAND_DOCS, COMMAND_INFO } from "./command-table-data.js";
import { NameIndex } from "./name-index.js";
import { fromTypedJson, type TypedJson } from "./typed-json.js";

/** One command or subcommand of the Sentinel command table. */
export interface CommandSpec {
  /** Full name as Redis reports it: `ping`, `client|setname`. */
  readonly fullName: string;
  /** Redis arity: exact argument count including the name(s), or −minimum when negative. */
  readonly arity: number;
  /** Command flags from COMMAND INFO (`fast`, `no_auth`, `admin`, `noscript`, ...). */
  readonly flags: ReadonlySet<string>;
  /** ACL categories without the `@` (`fast`, `connection`, `admin`, ...). */
  readonly categories: ReadonlySet<string>;
  /** The COMMAND INFO entry, ready to send. */
  readonly info: Reply;
  /** The COMMAND DOCS value (the map), ready to send. */
  readonly docs: Reply;
  /** Subcommands keyed by lower-case name (`setname`); empty for plain commands. */
  readonly subcommands: ReadonlyMap<string, CommandSpec>;
  /** The top-level command name (`client` for `client|setname`), precomputed for dispatch. */
  readonly top: string;
  /** `flags` has `no_auth`, precomputed for dispatch. */
  readonly noAuth: boolean;
}

/** The command table with Redis's lookup rules. */
export interface CommandTable {
  /** Top-level commands keyed by lower-case name, in table order. */
  readonly commands: ReadonlyMap<string, CommandSpec>;
  /**
   * Redis's `lookupCommand`: the top-level command, or for a container with at least one more
   * argument, its subcommand (undefined when that subcommand does not exist).
   */
  lookup(argv: readonly Buffer[]): CommandSpec | undefined;
  /** By full name (`ping`, `client|setname`), case-insensitively, as COMMAND INFO/DOCS accept. */
  lookupFullName(name: string): CommandSpec | undefined;
  /** True when `name` is a command with subcommands (for "unknown subcommand" errors). */
  isContainer(name: string): boolean;
}

/**
 * CLIENT SETINFO appeared in Redis 7.2, after the 7.0.15 capture; clients send it on every
 * connect (ioredis, node-redis, go-redis), so we serve it and describe it like 7.2 does.
 */
const CLIENT_SETINFO_INFO: TypedJson = [
  "client|setinfo",
  4,
  { "~": [{ "+": "noscript" }, { "+": "loading" }, { "+": "stale" }] },
  0,
  0,
  0,
  { "~": [{ "+": "@slow" }, { "+": "@connection" }] },
  { "~": [] },
  { "~": [] },
  { "~": [] },
];

const CLIENT_SETINFO_DOCS: TypedJson = {
  "%": [
    ["summary", "Sets information specific to the client or connection."],
    ["since", "7.2.0"],
    ["group", "connection"],
    ["complexity", "O(1)"],
    [
      "arguments",
      [
        {
          "%": [
            ["name", "attr"],
            ["type", "oneof"],
            [
              "arguments",
              [
                { "%": [["name", "libname"], ["type", "string"], ["token", "lib-name"]] },
                { "%": [["name", "libver"], ["type", "string"], ["token", "lib-ver"]] },
              ],
            ],
          ],
        },
      ],
    ],
  ],
};

/** CLIENT HELP with the 7.2 SETINFO lines inserted after SETNAME's, where 7.2 has them. */
export const CLIENT_HELP_LINES: readonly string[] = (() => {
  const at = CLIENT_HELP.indexOf("SETNAME <name>");
  const setinfo = [
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
  ];
  return at < 0 ? [...CLIENT_HELP, ...setinfo] : [...CLIENT_HELP.slice(0, at + 2), ...setinfo, ...CLIENT_HELP.slice(at + 2)];
})();

/** Builds the Sentinel command table from the captured data (plus CLIENT SETINFO). */
export function createSentinelCommandTable(): CommandTable {
  const docsByName = new Map<string, TypedJson>(COMMAND_DOCS.map(([name, doc]) => [name, doc]));
  const commands = new Map<string, CommandSpec>();
  for (const entry of COMMAND_INFO) {
    const spec = buildSpec(entry as readonly TypedJson[], docsByName.get(infoName(entry)), (sub) => subDocs(docsByName, sub));
    commands.set(spec.fullName, spec);
  }
  const client = commands.get("client");
  if (client && !client.subcommands.has("setinfo")) {
    const setinfo = buildSpec(CLIENT_SETINFO_INFO as readonly TypedJson[], CLIENT_SETINFO_DOCS, () => undefined);
    commands.set("client", withSubcommand(client, "setinfo", setinfo, CLIENT_SETINFO_INFO, CLIENT_SETINFO_DOCS));
  }
  return tableOf(commands);
}

/** An extension subcommand an embedder adds to a container command (e.g. `sentinel|vigil-explain`). */
export interface ExtraSubcommand {
  /** Lower-case subcommand name, without the container. */
  readonly name: string;
  /** Redis arity counting the container and the subcommand. */
  readonly arity: number;
  /** One line for COMMAND DOCS. */
  readonly summary: string;
}

/**
 * The table with extra subcommands under `container`, described like Sentinel's own (flag `admin`,
 * categories `@admin @slow @dangerous`) so arity checks, COMMAND and ACL rules treat them alike.
 */
export function withExtraSubcommands(table: CommandTable, container: string, extras: readonly ExtraSubcommand[]): CommandTable {
  let parent = table.commands.get(container);
  if (!parent || extras.length === 0) return table;
  for (const x of extras) {
    const fullName = `${container}|${x.name}`;
    const info: TypedJson = [fullName, x.arity, { "~": [{ "+": "admin" }] }, 0, 0, 0, { "~": [{ "+": "@admin" }, { "+": "@slow" }, { "+": "@dangerous" }] }, { "~": [] }, { "~": [] }, { "~": [] }];
    const doc: TypedJson = { "%": [["summary", x.summary], ["since", "0.1.0"], ["group", container], ["complexity", "O(N)"]] };
    parent = withSubcommand(parent, x.name, buildSpec(info as readonly TypedJson[], doc, () => undefined), info, doc);
  }
  const commands = new Map(table.commands);
  commands.set(container, parent);
  return tableOf(commands);
}

/** A top-level command in the byte-level index, with its own index of subcommands. */
interface Indexed {
  readonly spec: CommandSpec;
  readonly subcommands: NameIndex<CommandSpec> | undefined;
}

function tableOf(commands: ReadonlyMap<string, CommandSpec>): CommandTable {
  const index = new NameIndex<Indexed>(
    [...commands].map(([name, spec]) => [name, { spec, subcommands: spec.subcommands.size === 0 ? undefined : new NameIndex(spec.subcommands) }] as const),
  );
  const lookupFullName = (name: string): CommandSpec | undefined => {
    const [base, sub, extra] = asciiLower(name).split("|");
    if (extra !== undefined || base === undefined) return undefined;
    const spec = commands.get(base);
    return sub === undefined ? spec : spec?.subcommands.get(sub);
  };
  return {
    commands,
    lookup(argv) {
      const base = argv[0] && index.get(argv[0]);
      if (!base) return undefined;
      if (argv.length === 1 || base.subcommands === undefined) return base.spec;
      return base.subcommands.get(argv[1]!);
    },
    lookupFullName,
    isContainer(name) {
      return (commands.get(asciiLower(name))?.subcommands.size ?? 0) > 0;
    },
  };
}

function infoName(entry: TypedJson): string {
  return (entry as readonly TypedJson[])[0] as string;
}

/** Docs of a subcommand live in the parent's `subcommands` map, keyed by full name. */
function subDocs(docsByName: ReadonlyMap<string, TypedJson>, fullName: string): TypedJson | undefined {
  const parent = docsByName.get(fullName.split("|")[0]!);
  const subs = mapField(parent, "subcommands");
  return subs ? mapField(subs, fullName) : undefined;
}

function mapField(node: TypedJson | undefined, key: string): TypedJson | undefined {
  if (!node || typeof node !== "object" || !("%" in node)) return undefined;
  return node["%"].find(([k]) => k === key)?.[1];
}

function names(node: TypedJson | undefined): Set<string> {
  const items = node && typeof node === "object" && "~" in node ? node["~"] : [];
  return new Set(items.map((i) => (typeof i === "object" && i !== null && "+" in i ? i["+"] : String(i))));
}

function buildSpec(entry: readonly TypedJson[], docs: TypedJson | undefined, docsOf: (fullName: string) => TypedJson | undefined): CommandSpec {
  const fullName = entry[0] as string;
  const subs = new Map<string, CommandSpec>();
  const subEntries = entry[9];
  if (Array.isArray(subEntries)) {
    for (const sub of subEntries as readonly (readonly TypedJson[])[]) {
      const spec = buildSpec(sub, docsOf(sub[0] as string), docsOf);
      subs.set(spec.fullName.split("|")[1]!, spec);
    }
  }
  const flags = names(entry[2]);
  return {
    fullName,
    arity: entry[1] as number,
    flags,
    categories: new Set([...names(entry[6])].map((c) => c.replace(/^@/, ""))),
    info: fromTypedJson(entry),
    docs: fromTypedJson(docs ?? { "%": [] }),
    subcommands: subs,
    top: fullName.split("|")[0]!,
    noAuth: flags.has("no_auth"),
  };
}

/** A container spec with one more subcommand, its INFO and DOCS replies extended to match. */
function withSubcommand(parent: CommandSpec, name: string, sub: CommandSpec, subInfo: TypedJson, subDoc: TypedJson): CommandSpec {
  const subcommands = new Map(parent.subcommands);
  subcommands.set(name, sub);
  const info = parent.info;
  const docs = parent.docs;
  const patchedInfo: Reply =
    info.kind === "array"
      ? { kind: "array", items: info.items.map((item, i) => (i === 9 && item.kind === "array" ? { kind: "array", items: [...item.items, fromTypedJson(subInfo)] } : item)) }
      : info;
  const patchedDocs: Reply =
    docs.kind === "map"
      ? {
          kind: "map",
          entries: docs.entries.map(([k, v]) =>
            k.kind === "bulk" && k.value === "subcommands" && v.kind === "map"
              ? ([k, { kind: "map", entries: [...v.entries, [fromTypedJson(sub.fullName), fromTypedJson(subDoc)] as const] }] as const)
              : ([k, v] as const),
          ),
        }
      : docs;
  return { ...parent, subcommands, info: patchedInfo, docs: patchedDocs };
}
