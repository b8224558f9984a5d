import type { GlobalSettings } from "@vigil/core";
import { bulk, error, map, OK, type Reply } from "../resp/reply.js";
import { parseRedisInteger } from "../resp/string-to-integer.js";
import { FLUSH_FAILED } from "./errors.js";
import { matchesGlob } from "./glob-match.js";
import type { ApiScope } from "./scope.js";

const USAGE_70 = error("ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.");
// Redis 7.2 has no space before the slash; Valkey added one.
const USAGE_72 = error("ERR Only SENTINEL CONFIG GET <param> [<param> <param> ...]/ SET <param> <value> [<param> <value> ...] are supported.");
const USAGE_VALKEY = error("ERR Only SENTINEL CONFIG GET <param> [<param> <param> ...] / SET <param> <value> [<param> <value> ...] are supported.");

const LOG_LEVELS = ["debug", "verbose", "notice", "warning", "nothing"] as const;

/** A global parameter of `SENTINEL CONFIG`, in the order GET checks them. */
interface GlobalParam {
  readonly name: string;
  /** `loglevel` exists from Redis 7.2 on (and in Valkey). */
  readonly since72?: true;
  readonly get: (g: GlobalSettings) => string;
  /** The settings patch for `value`, or undefined when the value is invalid. */
  readonly parse: (value: string) => Partial<GlobalSettings> | undefined;
}

const yesNo = (value: string): boolean | undefined => {
  const v = value.toLowerCase();
  return v === "yes" ? true : v === "no" ? false : undefined;
};

const PARAMS: readonly GlobalParam[] = [
  {
    name: "resolve-hostnames",
    get: (g) => (g.resolveHostnames ? "yes" : "no"),
    parse: (v) => {
      const b = yesNo(v);
      return b === undefined ? undefined : { resolveHostnames: b };
    },
  },
  {
    name: "announce-hostnames",
    get: (g) => (g.announceHostnames ? "yes" : "no"),
    parse: (v) => {
      const b = yesNo(v);
      return b === undefined ? undefined : { announceHostnames: b };
    },
  },
  // An empty announce-ip is stored as an empty (not unset) value, as Sentinel does (§23).
  { name: "announce-ip", get: (g) => g.announceIp ?? "", parse: (v) => ({ announceIp: v }) },
  {
    name: "announce-port",
    get: (g) => String(g.announcePort),
    parse: (v) => {
      const n = parseRedisInteger(v);
      return n === undefined || n < 0n || n > 65535n ? undefined : { announcePort: Number(n) };
    },
  },
  { name: "sentinel-user", get: (g) => g.sentinelUser ?? "", parse: (v) => ({ sentinelUser: v === "" ? undefined : v }) },
  // Returned in clear, as Sentinel does.
  { name: "sentinel-pass", get: (g) => g.sentinelPass ?? "", parse: (v) => ({ sentinelPass: v === "" ? undefined : v }) },
  {
    name: "loglevel",
    since72: true,
    get: (g) => g.loglevel,
    parse: (v) => {
      const level = LOG_LEVELS.find((l) => l === v.toLowerCase());
      return level === undefined ? undefined : { loglevel: level };
    },
  },
];

/**
 * `SENTINEL CONFIG GET|SET` (§17.1.2) over the global parameters `resolve-hostnames`,
 * `announce-hostnames`, `announce-ip`, `announce-port`, `sentinel-user`, `sentinel-pass` (and
 * `loglevel` in the redis-7.2 and valkey-8 dialects). Parameter names are case-insensitive; GET patterns are
 * case-insensitive globs; SET flushes the config and replies `+OK` or the flush error.
 *
 * Dialect redis-7.0 (`redis-sentinel` 7.0.15): exactly one GET pattern or one SET pair, anything
 * else is the usage error. redis-7.2 and valkey-8: several patterns (each parameter reported once)
 * or several pairs, all validated before any is applied; their usage errors differ by one space.
 */
export function configCommand(s: ApiScope, argv: readonly string[]): Reply {
  const sub = argv[2]!.toLowerCase();
  if (s.dialect === "redis-7.0") {
    if (sub === "set" && argv.length === 5) return configSet(s, argv);
    if (sub === "get" && argv.length === 4) return configGet(s, argv);
    return USAGE_70;
  }
  if (sub === "set" && argv.length >= 5) return configSet(s, argv);
  if (sub === "get" && argv.length >= 4) return configGet(s, argv);
  return s.dialect === "valkey-8" ? USAGE_VALKEY : USAGE_72;
}

function paramsOf(s: ApiScope): readonly GlobalParam[] {
  return s.dialect === "redis-7.0" ? PARAMS.filter((p) => !p.since72) : PARAMS;
}

function configGet(s: ApiScope, argv: readonly string[]): Reply {
  const params = paramsOf(s);
  const shown = new Set<string>();
  const entries: (readonly [Reply, Reply])[] = [];
  for (const pattern of argv.slice(3)) {
    for (const p of params) {
      if (shown.has(p.name) || !matchesGlob(pattern, p.name, true)) continue;
      shown.add(p.name);
      entries.push([bulk(p.name), bulk(p.get(s.engine.global))]);
    }
  }
  return map(entries);
}

function configSet(s: ApiScope, argv: readonly string[]): Reply {
  const params = paramsOf(s);
  const patch: Partial<GlobalSettings> = {};
  const seen = new Set<string>();
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!;
    const param = params.find((p) => p.name === option.toLowerCase());
    if (param === undefined) return error(`ERR Invalid argument '${option}' to SENTINEL CONFIG SET`);
    if (seen.has(param.name)) return error(`ERR Duplicate argument '${option}' to SENTINEL CONFIG SET`);
    seen.add(param.name);
    if (i + 1 === argv.length) return error(`ERR Missing argument '${option}' value`);
    const value = argv[++i]!;
    const change = param.parse(value);
    if (change === undefined) return error(`ERR Invalid value '${value}' to SENTINEL CONFIG SET '${option}'`);
    Object.assign(patch, change);
  }
  const ok = s.runtime.apply(s.engine.setGlobal(s.now, patch));
  if (patch.loglevel !== undefined) s.ctx.onLoglevel?.(patch.loglevel);
  return ok ? OK : FLUSH_FAILED;
}
