import { resolve } from "node:path";
import { parseYesNo } from "@vigil/core";
import { parseStrictInteger } from "./c-numbers.js";
import type { GenericSettings, LogLevel, RawDirective } from "./generic-settings.js";
import { DEPRECATED_CONFIGS, MULTI_ARG_CONFIGS, STANDARD_CONFIGS, VIGIL_PREFIX } from "./redis-directives.js";
import { checkVigilDirective } from "./vigil-directives.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Generic settings while a file is being read (the loader freezes it into {@link GenericSettings}). */
export type GenericDraft = Mutable<Omit<GenericSettings, "passthrough" | "users">> & {
  passthrough: RawDirective[];
  users: string[][];
  vigil: Record<string, string>;
};

/**
 * Checks Redis performs against the file system while reading some directives. The loader is pure,
 * so the daemon injects them; each returns the `strerror` text of the failure, or `undefined`.
 */
export interface GenericFsChecks {
  /**
   * The absolute directory the file is loaded from (the process's working directory). Redis
   * `chdir()`s at each `dir` line, so every relative path read after one (`dir`, `logfile`,
   * `include`, scripts) resolves from there; the checks below get paths resolved that way. Without
   * it, paths are passed as written.
   */
  readonly cwd?: string;
  /** `dir`: Redis `chdir`s at once and fails with e.g. `No such file or directory`. */
  readonly checkDir?: (path: string) => string | undefined;
  /** `logfile`: Redis opens it for append and fails with `Can't open the log file: <err>`. */
  readonly checkLogfile?: (path: string) => string | undefined;
}

/** `path` as the process would open it after the `dir` lines read so far. */
export function fromWorkingDir(draft: Pick<GenericDraft, "workingDir">, path: string): string {
  return draft.workingDir === undefined ? path : resolve(draft.workingDir, path);
}

/** What the loader must do after one generic line. */
export type GenericOutcome =
  | { readonly kind: "done" }
  | { readonly kind: "error"; readonly message: string }
  /** A `sentinel <sub> ...` line: queued for the three sentinel passes (args exclude `sentinel`). */
  | { readonly kind: "sentinel"; readonly args: string[] }
  /** `include <path>`: the loader reads and applies that file in place. */
  | { readonly kind: "include"; readonly path: string };

const BAD_DIRECTIVE = "Bad directive or wrong number of arguments";
const LOG_LEVELS: readonly LogLevel[] = ["debug", "verbose", "notice", "warning", "nothing"];
const INT_MAX = 2147483647;

/** Redis's numeric-config parse: strict integer, then an inclusive range. */
function intArg(v: string, min: number, max: number): { value: number } | { error: string } {
  const n = parseStrictInteger(v);
  if (n === undefined) return { error: "argument couldn't be parsed into an integer" };
  if (n < min || n > max) return { error: `argument must be between ${min} and ${max} inclusive` };
  return { value: n };
}

function boolArg(v: string): { value: boolean } | { error: string } {
  const b = parseYesNo(v);
  return b === undefined ? { error: "argument must be 'yes' or 'no'" } : { value: b };
}

function enumArg<T extends string>(v: string, allowed: readonly T[]): { value: T } | { error: string } {
  const lower = v.toLowerCase() as T;
  return allowed.includes(lower) ? { value: lower } : { error: `argument(s) must be one of the following: ${allowed.join(", ")}` };
}

/** `unixsocketperm` is octal; the range message is printed in octal too. */
function octalArg(v: string): { value: number } | { error: string } {
  if (!/^[0-7]+$/.test(v)) return { error: "argument couldn't be parsed as an octal number" };
  const n = Number.parseInt(v, 8);
  return n > 0o777 ? { error: "argument must be between 0 and 777 inclusive" } : { value: n };
}

/**
 * Apply a typed generic directive (one whose value Vigil uses): `undefined` when applied, Redis's
 * error message when the value is bad, `"untyped"` when Vigil has no field for `name` (the caller
 * then keeps the line raw).
 */
function applyTyped(draft: GenericDraft, name: string, args: readonly string[], fs: GenericFsChecks): string | undefined | "untyped" {
  const v = args[1] ?? "";
  const set = <T>(r: { value: T } | { error: string }, apply: (value: T) => void): string | undefined => {
    if ("error" in r) return r.error;
    apply(r.value);
    return undefined;
  };
  switch (name) {
    case "port":
      return set(intArg(v, 0, 65535), (n) => (draft.port = n));
    case "tls-port":
      return set(intArg(v, 0, 65535), (n) => (draft.tlsPort = n));
    case "maxclients":
      return set(intArg(v, 1, 4294967295), (n) => (draft.maxclients = n));
    case "timeout":
      return set(intArg(v, 0, INT_MAX), (n) => (draft.timeout = n));
    case "tcp-keepalive":
      return set(intArg(v, 0, INT_MAX), (n) => (draft.tcpKeepalive = n));
    case "hz":
      // Redis accepts any non-negative value and clamps it to CONFIG_MIN_HZ..CONFIG_MAX_HZ.
      return set(intArg(v, 0, INT_MAX), (n) => (draft.hz = Math.min(500, Math.max(1, n))));
    case "unixsocketperm":
      return set(octalArg(v), (n) => (draft.unixsocketperm = n));
    case "daemonize":
      return set(boolArg(v), (b) => (draft.daemonize = b));
    case "protected-mode":
      return set(boolArg(v), (b) => (draft.protectedMode = b));
    case "tls-replication":
      return set(boolArg(v), (b) => (draft.tlsReplication = b));
    case "loglevel":
      return set(enumArg(v, LOG_LEVELS), (l) => (draft.loglevel = l));
    case "tls-auth-clients":
      return set(enumArg(v, ["no", "yes", "optional"] as const), (l) => (draft.tlsAuthClients = l));
    case "bind":
      if (args.length - 1 > 16) return "Too many bind addresses specified.";
      draft.bind = args.slice(1);
      return undefined;
    case "dir": {
      const target = fromWorkingDir(draft, v);
      const err = fs.checkDir?.(target);
      if (err !== undefined) return err;
      draft.dir = v;
      draft.workingDir = target;
      return undefined;
    }
    case "logfile": {
      const err = v === "" ? undefined : fs.checkLogfile?.(fromWorkingDir(draft, v));
      if (err !== undefined) return `Can't open the log file: ${err}`;
      draft.logfile = v;
      return undefined;
    }
    case "pidfile":
      draft.pidfile = v === "" ? undefined : v;
      return undefined;
    case "requirepass":
      // An empty requirepass clears the password, as in Redis.
      draft.requirepass = v === "" ? undefined : v;
      return undefined;
    case "aclfile":
      draft.aclfile = v === "" ? undefined : v;
      return undefined;
    case "tls-cert-file":
      draft.tlsCertFile = v === "" ? undefined : v;
      return undefined;
    case "tls-key-file":
      draft.tlsKeyFile = v === "" ? undefined : v;
      return undefined;
    case "tls-ca-cert-file":
      draft.tlsCaCertFile = v === "" ? undefined : v;
      return undefined;
    case "bind-source-addr":
      draft.bindSourceAddr = v === "" ? undefined : v;
      return undefined;
    case "unixsocket":
      draft.unixsocket = v === "" ? undefined : v;
      return undefined;
    default:
      return "untyped";
  }
}

/**
 * Apply one non-comment line (already split, `args.length >= 1`) in Redis's order of checks:
 * config table (with its arity rule), deprecated names, then `include`, `rename-command`, `user`,
 * `loadmodule`, module configs (`name.with.dot`), `sentinel`, and finally Vigil's `vigil-*`.
 */
export function applyGenericDirective(draft: GenericDraft, args: string[], line: number, fs: GenericFsChecks): GenericOutcome {
  const name = args[0]!.toLowerCase();
  const argc = args.length;
  const raw = (): GenericOutcome => {
    draft.passthrough.push({ line, args: [name, ...args.slice(1)] });
    return { kind: "done" };
  };
  if (STANDARD_CONFIGS.has(name)) {
    if (!MULTI_ARG_CONFIGS.has(name) && argc !== 2) return { kind: "error", message: "wrong number of arguments" };
    const typed = applyTyped(draft, name, args, fs);
    if (typed === "untyped") return raw();
    return typed === undefined ? { kind: "done" } : { kind: "error", message: typed };
  }
  if (DEPRECATED_CONFIGS.has(name) && argc === 2) return raw();
  if (name === "include" && argc === 2) return { kind: "include", path: args[1]! };
  if (name === "rename-command" && argc === 3) return raw();
  if (name === "user" && argc >= 2) {
    draft.users.push(args.slice(1));
    return { kind: "done" };
  }
  if (name === "loadmodule" && argc >= 2) return raw();
  if (name.includes(".")) return argc < 2 ? { kind: "error", message: "Module config specified without value" } : raw();
  if (name === "sentinel") {
    // A bare `sentinel` only selects sentinel mode (handled by Redis's main()); nothing to queue.
    return argc === 1 ? { kind: "done" } : { kind: "sentinel", args: args.slice(1) };
  }
  if (name.startsWith(VIGIL_PREFIX)) {
    if (argc !== 2) return { kind: "error", message: BAD_DIRECTIVE };
    const key = name.slice(VIGIL_PREFIX.length);
    const r = checkVigilDirective(key, args[1]!);
    if ("error" in r) return { kind: "error", message: r.error };
    draft.vigil[key] = r.value;
    return { kind: "done" };
  }
  return { kind: "error", message: BAD_DIRECTIVE };
}
