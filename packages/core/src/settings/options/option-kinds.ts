import type { MasterSettings } from "../master-settings.js";
import { atoi, parseYesNo, string2ll, toInt32, toUint32 } from "./c-numbers.js";
import { invalidSetArgument, type OptionSpec, type RewriteEnv } from "./option-spec.js";

// The shapes Sentinel's per-master options come in. Each builds an {@link OptionSpec} from the few
// facts that differ between options of one shape: the texts and bounds are Sentinel's.

type FieldOf<T> = { [K in keyof MasterSettings]-?: MasterSettings[K] extends T ? (T extends MasterSettings[K] ? K : never) : never }[keyof MasterSettings];

const SCRIPTS_DENIED =
  "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration";

/** How a C field holds the `long long` SENTINEL SET parsed (`mstime_t`, `int`, `unsigned int`). */
const C_STORE = { int64: Number, int32: toInt32, uint32: toUint32 } as const;

/** An integer option (a time in ms or s, or a count). */
export interface IntegerOptionFacts {
  readonly name: string;
  readonly valkeyName?: string;
  readonly field: FieldOf<number>;
  /** SENTINEL SET refuses values below this (before they are stored). */
  readonly setMin: bigint;
  /** The C type Sentinel stores the value in; SET truncates like C does. */
  readonly cType: keyof typeof C_STORE;
  /** Vigil refuses a SET whose stored (truncated) value falls below this: its settings cannot hold it. */
  readonly storedMin?: number;
  /** The config line's check on the `atoi` value, and Redis's message when it fails; none: any value. */
  readonly config?: { readonly min: number; readonly error: string } | "none";
  /** The value the rewrite leaves out; no `rewrite` form when the option has no line of its own. */
  readonly rewriteDefault?: (env: RewriteEnv) => number;
}

/**
 * An integer: `string2ll` in SENTINEL SET (strict), `atoi` in a config line (lenient: `5000ms` is
 * 5000), as redis-sentinel reads them.
 */
export function integerOption(f: IntegerOptionFacts): OptionSpec<number> {
  const config = f.config;
  const rewriteDefault = f.rewriteDefault;
  return {
    name: f.name,
    valkeyName: f.valkeyName,
    arity: 1,
    field: f.field,
    // Never a default, and within every integer option's bounds.
    example: ["7"],
    parseSet: ([text = ""], _env, typed) => {
      const parsed = string2ll(text);
      if (parsed === undefined || parsed < f.setMin) return { ok: false, error: invalidSetArgument(typed, text) };
      const value = C_STORE[f.cType](parsed);
      if (f.storedMin !== undefined && value < f.storedMin) return { ok: false, error: invalidSetArgument(typed, text) };
      return { ok: true, value };
    },
    parseConfig:
      config === undefined
        ? undefined
        : ([text = ""]) => {
            const value = atoi(text);
            if (config !== "none" && value < config.min) return { ok: false, error: config.error };
            return { ok: true, value };
          },
    store: (t, v) => {
      t[f.field] = v;
    },
    show: String,
    rewrite: rewriteDefault === undefined ? undefined : (s, env) => (s[f.field] === rewriteDefault(env) ? [] : [[String(s[f.field])]]),
  };
}

/**
 * A time (an `mstime_t`, or seconds): at least 1, or with `zeroTurnsOff` at least 0; Redis's config
 * messages for the two ranges.
 */
export function timeOption(f: Pick<IntegerOptionFacts, "name" | "valkeyName" | "field" | "rewriteDefault"> & { readonly zeroTurnsOff: boolean }): OptionSpec<number> {
  const config = f.zeroTurnsOff ? { min: 0, error: "negative time parameter." } : { min: 1, error: "negative or zero time parameter." };
  return integerOption({ ...f, setMin: f.zeroTurnsOff ? 0n : 1n, cType: "int64", config });
}

/** A script path (`notification-script`, `client-reconfig-script`). */
export function scriptOption(f: { readonly name: string; readonly field: FieldOf<string | undefined>; readonly setError: string; readonly configError: string }): OptionSpec<string | undefined> {
  return {
    name: f.name,
    arity: 1,
    field: f.field,
    example: ["/usr/local/bin/sentinel-script.sh"],
    // Denied whatever the path; an empty path clears the script and needs no check.
    parseSet: ([path = ""], env) => {
      if (env.denyScriptsReconfig) return { ok: false, error: SCRIPTS_DENIED };
      if (path !== "" && !env.isExecutable(path)) return { ok: false, error: f.setError };
      return { ok: true, value: path === "" ? undefined : path };
    },
    parseConfig: ([path = ""], env) => (env.isExecutable(path) ? { ok: true, value: path } : { ok: false, error: f.configError }),
    store: (t, v) => {
      t[f.field] = v;
    },
    show: (v) => v ?? "",
    rewrite: (s) => (s[f.field] === undefined ? [] : [[s[f.field]!]]),
  };
}

/**
 * Free text (`auth-pass`, `auth-user`). SENTINEL SET with an empty value clears it; a config line
 * keeps even an empty one, as Redis does. A secret is shown as `******` in `+set`.
 */
export function textOption(f: { readonly name: string; readonly field: FieldOf<string | undefined>; readonly secret?: boolean }): OptionSpec<string | undefined> {
  return {
    name: f.name,
    arity: 1,
    field: f.field,
    example: ["s3cr3t"],
    parseSet: ([text = ""]) => ({ ok: true, value: text === "" ? undefined : text }),
    parseConfig: ([text = ""]) => ({ ok: true, value: text }),
    store: (t, v) => {
      t[f.field] = v;
    },
    show: (v) => (f.secret ? "******" : (v ?? "")),
    rewrite: (s) => (s[f.field] === undefined ? [] : [[s[f.field]!]]),
  };
}

/** yes|no (case-insensitive), written back only when it differs from the default. */
export function yesNoOption(f: { readonly name: string; readonly field: FieldOf<boolean>; readonly default: boolean }): OptionSpec<boolean> {
  const yesNo = (b: boolean): string => (b ? "yes" : "no");
  return {
    name: f.name,
    arity: 1,
    field: f.field,
    example: [yesNo(!f.default)],
    parseSet: ([text = ""], _env, typed) => {
      const value = parseYesNo(text);
      return value === undefined ? { ok: false, error: invalidSetArgument(typed, text) } : { ok: true, value };
    },
    parseConfig: ([text = ""]) => {
      const value = parseYesNo(text);
      return value === undefined ? { ok: false, error: `Please specify yes or no for the ${f.name} option.` } : { ok: true, value };
    },
    store: (t, v) => {
      t[f.field] = v;
    },
    show: yesNo,
    rewrite: (s) => (s[f.field] === f.default ? [] : [[yesNo(s[f.field])]]),
  };
}
