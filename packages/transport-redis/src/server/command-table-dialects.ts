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

const DATA: Readonly<Record<SentinelDialect, CommandTableData>> = { "redis-7.0": redis70, "redis-7.2": redis72, "valkey-8": valkey8 };

/** The command table captured from the dialect's Sentinel (7.0.15, 7.2.6, Valkey 8.0.1). */
export function commandTableData(dialect: SentinelDialect): CommandTableData {
  return DATA[dialect];
}
