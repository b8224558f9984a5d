import type { OptionNaming } from "@vigil/core";

/**
 * Which Sentinel Vigil answers as. Each dialect is checked against a real Sentinel of that kind
 * (docs/compatibility.md, "Dialects"):
 * - `"redis-7.0"` (default): Debian's `redis-sentinel` 7.0.15. `SENTINEL CONFIG GET` takes one
 *   pattern, `SET` one parameter, `loglevel` is not a Sentinel parameter, no `CLIENT SETINFO`.
 * - `"redis-7.2"`: `redis-sentinel` 7.2.6, which 7.4 and 8.x Sentinels answer like: several
 *   `SENTINEL CONFIG` patterns / pairs, `loglevel`, `CLIENT SETINFO`.
 * - `"valkey-8"`: `valkey-sentinel` 8.0.1: the 7.2 behaviour plus the PRIMARY subcommands and the
 *   `primary-reboot-down-after-period` spelling, Valkey's texts and `INFO server` fields.
 */
export type SentinelDialect = "redis-7.0" | "redis-7.2" | "valkey-8";

/** Every dialect, default first. */
export const SENTINEL_DIALECTS: readonly SentinelDialect[] = ["redis-7.0", "redis-7.2", "valkey-8"];

/** The dialect used when none is chosen: Debian's 7.0.15, what existing files and fleets assume. */
export const DEFAULT_DIALECT: SentinelDialect = "redis-7.0";

/** What a client can read about the server's identity, per dialect (HELLO, INFO server). */
export interface DialectIdentity {
  /** HELLO `server`. */
  readonly server: "redis" | "valkey";
  /** HELLO `version` (and `valkey_version` for Valkey). */
  readonly version: string;
  /** INFO `redis_version`: Valkey keeps answering 7.2.4 there so version checks written for Redis pass. */
  readonly redisVersion: string;
}

const IDENTITIES: Readonly<Record<SentinelDialect, DialectIdentity>> = {
  "redis-7.0": { server: "redis", version: "7.0.15", redisVersion: "7.0.15" },
  "redis-7.2": { server: "redis", version: "7.2.6", redisVersion: "7.2.6" },
  "valkey-8": { server: "valkey", version: "8.0.1", redisVersion: "7.2.4" },
};

/** The identity a dialect answers with. */
export function dialectIdentity(dialect: SentinelDialect): DialectIdentity {
  return IDENTITIES[dialect];
}

/** Narrow outside text to a dialect (exact, lower-case spelling), or undefined. */
export function parseDialect(text: string): SentinelDialect | undefined {
  return SENTINEL_DIALECTS.find((d) => d === text);
}

/** The per-master option names a dialect answers to: Valkey's (it also accepts Redis's) or Redis's. */
export function optionNaming(dialect: SentinelDialect): OptionNaming {
  return dialect === "valkey-8" ? "valkey" : "redis";
}
