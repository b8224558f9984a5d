import { parseDialect, SENTINEL_DIALECTS } from "@vigil/transport-redis";
import { parseStrictInteger } from "./c-numbers.js";

/**
 * Vigil's own config directives. They are namespaced `vigil-*` so they can never collide with a
 * Redis directive, and are validated here so a typo fails loudly at startup instead of being ignored.
 * Note a file containing them is no longer loadable by `redis-sentinel` itself.
 */
const VIGIL_DIRECTIVES: Readonly<Record<string, (value: string) => { value: string } | { error: string }>> = {
  /** `vigil-dialect redis-7.0|redis-7.2|valkey-8`: the Sentinel answered as (docs/compatibility.md). */
  dialect: (v) => (parseDialect(v) === undefined ? { error: `argument must be one of the following: ${SENTINEL_DIALECTS.join(", ")}` } : { value: v }),
  /** `vigil-timing fast|sentinel`: the timing profile. */
  timing: (v) => oneOf(v, ["fast", "sentinel"]),
  /** `vigil-log-format text|json`. */
  "log-format": (v) => oneOf(v, ["text", "json"]),
  /** `vigil-http <host>:<port>`: where the HTTP status/metrics endpoint listens. */
  http: (v) => hostPort(v),
  /** `vigil-webhook <url>`: POST every published event as signed JSON to this http(s) URL. */
  webhook: (v) => httpUrl(v),
  /** `vigil-webhook-secret <secret>`: HMAC-SHA256 key for the `X-Vigil-Signature` header. */
  "webhook-secret": (v) => (v.length > 0 ? { value: v } : { error: "argument must be a non-empty secret" }),
};

function httpUrl(v: string): { value: string } | { error: string } {
  // URL.canParse is not in every Node 20; the constructor's exception says the same.
  try {
    const u = new URL(v);
    if (u.protocol === "http:" || u.protocol === "https:") return { value: u.toString() };
  } catch {
    // fall through to the error below
  }
  return { error: "argument must be an http:// or https:// URL" };
}

function oneOf(v: string, allowed: readonly string[]): { value: string } | { error: string } {
  const lower = v.toLowerCase();
  // Same wording as Redis's enum configs, so all config errors read alike.
  return allowed.includes(lower) ? { value: lower } : { error: `argument(s) must be one of the following: ${allowed.join(", ")}` };
}

function hostPort(v: string): { value: string } | { error: string } {
  const m = /^(\[[^\]]+\]|[^:[\]]+):([0-9]+)$/.exec(v);
  const port = m ? parseStrictInteger(m[2]!) : undefined;
  if (!m || port === undefined || port > 65535) return { error: "argument must be <host>:<port>" };
  return { value: v };
}

/** The known `vigil-*` names without the prefix, for documentation and help output. */
export const VIGIL_DIRECTIVE_NAMES: readonly string[] = Object.keys(VIGIL_DIRECTIVES);

/**
 * Validate `vigil-<key> <value>`. `key` is the lower-case name without the `vigil-` prefix.
 * Returns the normalised value, or the error message for the config-error report.
 */
export function checkVigilDirective(key: string, value: string): { value: string } | { error: string } {
  // Own keys only: `constructor` & co. must not look like directives.
  const check = Object.hasOwn(VIGIL_DIRECTIVES, key) ? VIGIL_DIRECTIVES[key] : undefined;
  if (check === undefined) return { error: "Bad directive or wrong number of arguments" };
  return check(value);
}
