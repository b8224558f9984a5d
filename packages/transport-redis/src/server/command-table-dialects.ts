import type { SentinelDialect } from "../dialect.js";
import * as redis70 from "./command-table-data.js";
import * as redis72 from "./command-table-data-redis-7.2.js";
import * as valkey8 from "./command-table-data-valkey-8.js";
import type { TypedJson } from "./typed-json.js";

/** One Sentinel's captured command table and help texts (see test/fixtures/capture-command-table.mjs). */
export interface CommandTableData {
  readonly CAPTURED_FROM_VERSION: string;
  readonly COMMAND_INFO: readonly TypedJson[];
  readonly COMMAND_DOCS: readonly (readonly [string, TypedJson])[];
  readonly CLIENT_HELP: readonly string[];
  readonly COMMAND_HELP: readonly string[];
  readonly ACL_HELP: readonly string[];
  readonly ACL_CATEGORIES: readonly string[];
}

/** A data module as generated: each table is a function, so importing a module builds nothing. */
type CapturedModule = { readonly [K in keyof CommandTableData]: K extends "CAPTURED_FROM_VERSION" ? string : () => CommandTableData[K] };

const MODULES: Readonly<Record<SentinelDialect, CapturedModule>> = { "redis-7.0": redis70, "redis-7.2": redis72, "valkey-8": valkey8 };
const built = new Map<SentinelDialect, CommandTableData>();

/**
 * The command table captured from the dialect's Sentinel (7.0.15, 7.2.6, Valkey 8.0.1), built on
 * first use: a daemon speaks one dialect, and the three tables' data held ~1.2 MB when all of them
 * were built at start-up (docs/performance.md §6).
 */
export function commandTableData(dialect: SentinelDialect): CommandTableData {
  let data = built.get(dialect);
  if (data === undefined) {
    const m = MODULES[dialect];
    data = {
      CAPTURED_FROM_VERSION: m.CAPTURED_FROM_VERSION,
      COMMAND_INFO: m.COMMAND_INFO(),
      COMMAND_DOCS: m.COMMAND_DOCS(),
      CLIENT_HELP: m.CLIENT_HELP(),
      COMMAND_HELP: m.COMMAND_HELP(),
      ACL_HELP: m.ACL_HELP(),
      ACL_CATEGORIES: m.ACL_CATEGORIES(),
    };
    built.set(dialect, data);
  }
  return data;
}
