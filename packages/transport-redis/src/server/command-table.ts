import { DEFAULT_DIALECT, type SentinelDialect } from "../dialect.js";
import type { Reply } from "../resp/reply.js";
import { asciiLower } from "./byte-string.js";
import { commandTableData } from "./command-table-dialects.js";
import { NameIndex } from "./name-index.js";
import { REPLAYABLE_COMMANDS, type ReplayKind } from "./request-memo.js";
import { fromTypedJson, type TypedJson } from "./typed-json.js";

/** The command table with Redis's lookup rules. */
export interface CommandTable {
  /** Top-level commands keyed by lower-case name, in table order. */
  readonly commands: ReadonlyMap<string, CommandSpec>;
  /**
   * Redis's `lookupCommand`: the top-level command, or for a container with at least one more
   * argument, its subcommand (undefined when that subcommand does not exist).
   */
  lookup(argv: readonly Buffer[]): CommandSpec | undefined;
  /** Hidden subcommands by container (extensions: dispatched, never enumerated). */
  readonly hidden: ReadonlyMap<string, ReadonlyMap<string, CommandSpec>>;
  /**
   * By full name (`ping`, `client|setname`), case-insensitively, as COMMAND INFO/DOCS accept;
   * hidden subcommands only with `includeHidden` (ACL rules may name them).
   */
  lookupFullName(name: string, includeHidden?: boolean): CommandSpec | undefined;
  /** True when `name` is a command with subcommands (for "unknown subcommand" errors). */
  isContainer(name: string): boolean;
}

/** Builds the command table captured from the dialect's Sentinel. */
export function createSentinelCommandTable(dialect: SentinelDialect = DEFAULT_DIALECT): CommandTable {
  const data = commandTableData(dialect);
  const docsByName = new Map<string, TypedJson>(data.COMMAND_DOCS.map(([name, doc]) => [name, doc]));
  const commands = new Map<string, CommandSpec>();
  for (const entry of data.COMMAND_INFO) {
    const spec = buildSpec(entry as readonly TypedJson[], docsByName.get(infoName(entry)), (sub) => subDocs(docsByName, sub));
    commands.set(spec.fullName, spec);
  }
  return tableOf(commands, new Map());
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
 * categories `@admin @slow @dangerous`) so arity checks and ACL rules treat them alike. They are
 * hidden: dispatched and usable in ACL rules, but not enumerated by COMMAND (COUNT, LIST, INFO,
 * DOCS) or ACL CAT, so a client sees exactly the command table of the Sentinel being imitated.
 */
export function withExtraSubcommands(table: CommandTable, container: string, extras: readonly ExtraSubcommand[]): CommandTable {
  if (!table.commands.has(container) || extras.length === 0) return table;
  const hidden = new Map(table.hidden);
  const subs = new Map(hidden.get(container));
  for (const x of extras) {
    const fullName = `${container}|${x.name}`;
    const info: TypedJson = [fullName, x.arity, { "~": [{ "+": "admin" }] }, 0, 0, 0, { "~": [{ "+": "@admin" }, { "+": "@slow" }, { "+": "@dangerous" }] }, { "~": [] }, { "~": [] }, { "~": [] }];
    const doc: TypedJson = { "%": [["summary", x.summary], ["since", "0.1.0"], ["group", container], ["complexity", "O(N)"]] };
    subs.set(x.name, buildSpec(info as readonly TypedJson[], doc, () => undefined));
  }
  hidden.set(container, subs);
  return tableOf(table.commands, hidden);
}

/** A top-level command in the byte-level index, with its own index of subcommands. */
interface Indexed {
  readonly spec: CommandSpec;
  readonly subcommands: NameIndex<CommandSpec> | undefined;
}

function tableOf(commands: ReadonlyMap<string, CommandSpec>, hidden: ReadonlyMap<string, ReadonlyMap<string, CommandSpec>>): CommandTable {
  const index = new NameIndex<Indexed>(
    [...commands].map(([name, spec]) => {
      // Hidden subcommands are found by dispatch like the others; only enumeration skips them.
      const all = new Map([...spec.subcommands, ...(hidden.get(name) ?? [])]);
      return [name, { spec, subcommands: all.size === 0 ? undefined : new NameIndex(all) }] as const;
    }),
  );
  const lookupFullName = (name: string, includeHidden = false): CommandSpec | undefined => {
    const [base, sub, extra] = asciiLower(name).split("|");
    if (extra !== undefined || base === undefined) return undefined;
    const spec = commands.get(base);
    if (sub === undefined) return spec;
    return spec?.subcommands.get(sub) ?? (includeHidden ? hidden.get(base)?.get(sub) : undefined);
  };
  return {
    commands,
    hidden,
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

/**
 * Arities accepted at dispatch that differ from the 7.0 COMMAND table (which COMMAND keeps showing):
 * `SENTINEL FAILOVER <name> COORDINATED` (Valkey 9) takes optional words after the name.
 */
const DISPATCH_ARITY: Readonly<Record<string, number>> = { "sentinel|failover": -3 };

function buildSpec(entry: readonly TypedJson[], docs: TypedJson | undefined, docsOf: (fullName: string) => TypedJson | undefined): CommandSpec {
  const subs = new Map<string, CommandSpec>();
  const subEntries = entry[9];
  if (Array.isArray(subEntries)) {
    for (const sub of subEntries as readonly (readonly TypedJson[])[]) {
      const spec = buildSpec(sub, docsOf(sub[0] as string), docsOf);
      subs.set(spec.fullName.split("|")[1]!, spec);
    }
  }
  return new CommandSpec(entry, docs, subs);
}

/**
 * One command or subcommand of the Sentinel command table. A class, not an object literal with
 * getters: V8 keeps a literal that has accessors in dictionary mode, and dispatch reads `arity`,
 * `noAuth`, `fullName` and `top` of a spec for every command (test/server-command-table-shapes.test.ts).
 */
export class CommandSpec {
  /** Full name as Redis reports it: `ping`, `client|setname`. */
  readonly fullName: string;
  /** Redis arity: exact argument count including the name(s), or −minimum when negative. */
  readonly arity: number;
  /** Command flags from COMMAND INFO (`fast`, `no_auth`, `admin`, `noscript`, ...). */
  readonly flags: ReadonlySet<string>;
  /** ACL categories without the `@` (`fast`, `connection`, `admin`, ...). */
  readonly categories: ReadonlySet<string>;
  /** The top-level command name (`client` for `client|setname`), precomputed for dispatch. */
  readonly top: string;
  /** `flags` has `no_auth`, precomputed for dispatch. */
  readonly noAuth: boolean;
  /** Its reply may be replayed for identical request bytes, and what it depends on (server/request-memo.ts). */
  readonly replay: ReplayKind | undefined;
  // The COMMAND INFO / DOCS replies are built on first use: building all ~500 at start-up was a
  // tenth of the daemon's start-up time, and most daemons never receive COMMAND.
  #info: Reply | undefined;
  #docs: Reply | undefined;

  constructor(
    private readonly entry: readonly TypedJson[],
    private readonly docsSource: TypedJson | undefined,
    /** Subcommands keyed by lower-case name (`setname`); empty for plain commands. */
    readonly subcommands: ReadonlyMap<string, CommandSpec>,
  ) {
    this.fullName = entry[0] as string;
    this.arity = DISPATCH_ARITY[this.fullName] ?? (entry[1] as number);
    this.flags = names(entry[2]);
    this.categories = new Set([...names(entry[6])].map((c) => c.replace(/^@/, "")));
    this.top = this.fullName.split("|")[0]!;
    this.noAuth = this.flags.has("no_auth");
    this.replay = REPLAYABLE_COMMANDS.get(this.fullName);
  }

  /** The COMMAND INFO entry, ready to send. */
  get info(): Reply {
    this.#info ??= fromTypedJson(this.entry);
    return this.#info;
  }

  /** The COMMAND DOCS value (the map), ready to send. */
  get docs(): Reply {
    this.#docs ??= fromTypedJson(this.docsSource ?? { "%": [] });
    return this.#docs;
  }
}
