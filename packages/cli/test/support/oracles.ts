// The real Sentinel each dialect is checked against: Debian's redis-sentinel 7.0.15 for redis-7.0,
// Redis 7.2.6 and Valkey 8.0.1 from the shared oracles folder (../shared/oracles from the
// repository root, or $VIGIL_ORACLES_DIR) for redis-7.2 and valkey-8. A missing oracle throws:
// the differential tests must never pass by not running.
import { accessSync, constants, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SENTINEL_DIALECTS, type SentinelDialect } from "@vigil/transport-redis";

export type { SentinelDialect };
export { SENTINEL_DIALECTS };

/** How to start the oracle Sentinel of a dialect: `spawn(bin, [conf, ...extraArgs])`. */
export interface OracleSentinel {
  readonly dialect: SentinelDialect;
  readonly bin: string;
  /** After the config path (`--sentinel` when started through the server binary). */
  readonly extraArgs: readonly string[];
  /** For messages: `redis-sentinel 7.0.15`, ... */
  readonly label: string;
}

/** The folder of the newer oracles. */
export function oraclesDir(): string {
  return process.env.VIGIL_ORACLES_DIR ?? resolve(import.meta.dirname, "../../../../../shared/oracles");
}

const NEWER: Readonly<Record<Exclude<SentinelDialect, "redis-7.0">, { folder: string; sentinel: string; server: string; label: string }>> = {
  "redis-7.2": { folder: "redis-7.2.6", sentinel: "redis-sentinel", server: "redis-server", label: "redis-sentinel 7.2.6" },
  "valkey-8": { folder: "valkey-8.0.1", sentinel: "valkey-sentinel", server: "valkey-server", label: "valkey-sentinel 8.0.1" },
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The oracle of `dialect`; throws (never skips) when it is not there. */
export function oracleSentinel(dialect: SentinelDialect): OracleSentinel {
  if (dialect === "redis-7.0") {
    const debian = "/usr/bin/redis-sentinel";
    if (!existsSync(debian)) throw new Error(`${debian} is required for the redis-7.0 differential tests (apt-get install redis-sentinel)`);
    return { dialect, bin: debian, extraArgs: [], label: "redis-sentinel 7.0.15" };
  }
  const o = NEWER[dialect];
  const dir = join(oraclesDir(), o.folder);
  const sentinel = join(dir, o.sentinel);
  // The folder ships `*-sentinel` as a link; where it is not one, the server binary in sentinel mode is the same program.
  if (executable(sentinel)) return { dialect, bin: sentinel, extraArgs: [], label: o.label };
  const server = join(dir, o.server);
  if (executable(server)) return { dialect, bin: server, extraArgs: ["--sentinel"], label: o.label };
  throw new Error(
    `${o.label} is required for the ${dialect} differential tests but ${existsSync(dir) ? `${dir} has no executable ${o.sentinel} or ${o.server}` : `${dir} does not exist`} (set VIGIL_ORACLES_DIR to the folder holding ${o.folder}/)`,
  );
}

/** The same dialect on Vigil's command line. */
export function dialectArgs(dialect: SentinelDialect): string[] {
  return ["--vigil-dialect", dialect];
}
