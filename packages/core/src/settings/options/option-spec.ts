import type { MasterSettings } from "../master-settings.js";

/**
 * Whose option names apply: Redis's, or Valkey 8's, which renamed `master-*` options to `primary-*`
 * and still accepts the old names too. (Transports map their dialect onto this.)
 */
export type OptionNaming = "redis" | "valkey";

/** An option value read from outside text, or the exact error Sentinel gives for it. */
export type Parsed<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: string };

/** What `SENTINEL SET` checks values against besides their text. */
export interface SetEnv {
  /** `access(path, X_OK) == 0`, for the script options. */
  readonly isExecutable: (path: string) => boolean;
  /** `sentinel deny-scripts-reconfig`: script options may not be changed at run time. */
  readonly denyScriptsReconfig: boolean;
}

/** What a config line's value is checked against besides its text. */
export interface ConfigEnv {
  /** `access(path, X_OK) == 0`, for the script options. */
  readonly isExecutable: (path: string) => boolean;
  /** The master's options set by earlier lines (rename-command refuses a second rename of a command). */
  readonly current: Readonly<Partial<MasterSettings>>;
}

/** The defaults a rewrite compares against (the first two are `SENTINEL DEBUG`-tunable). */
export interface RewriteEnv {
  /** Current `default-down-after`: a `down-after-milliseconds` equal to it is not written. */
  readonly defaultDownAfterMs: number;
  /** Current `default-failover-timeout`: a `failover-timeout` equal to it is not written. */
  readonly defaultFailoverTimeoutMs: number;
}

/** Where option values are stored: a master's settings, or a draft of them while a config loads. */
export type OptionTarget = Partial<MasterSettings>;

/**
 * One per-master Sentinel option: `sentinel <name> <master> <values...>` in a config file and
 * `SENTINEL SET <master> <name> <values...>` at run time, with everything both need.
 */
export interface OptionSpec<V> {
  /** Redis's name, lower case: the option's key. */
  readonly name: string;
  /** Valkey 8's spelling, when Valkey renamed the option (it still accepts {@link name}). */
  readonly valkeyName?: string;
  /** How many values follow the name (and, in a config line, the master name). */
  readonly arity: 1 | 2;
  /** The settings field the value lives in. */
  readonly field: keyof MasterSettings;
  /** Values the option accepts everywhere, away from its default: what docs and the registry's tests set. */
  readonly example: readonly string[];
  /**
   * `SENTINEL SET`: the values → the typed value, or the exact error reply (`ERR ...`).
   * `typed` is the option as the client wrote it (Sentinel quotes it so in its errors).
   */
  readonly parseSet: (values: readonly string[], env: SetEnv, typed: string) => Parsed<V>;
  /**
   * A config line: the values → the typed value, or Redis's exact message for the line. Absent when
   * the option has no line of its own (`quorum` is part of `sentinel monitor`).
   */
  readonly parseConfig?: (values: readonly string[], env: ConfigEnv) => Parsed<V>;
  /** Store a value set by `SENTINEL SET`. */
  readonly store: (target: OptionTarget, value: V) => void;
  /** Store a value read from a config line, when that differs from {@link store}. */
  readonly storeLoaded?: (target: OptionTarget, value: V) => void;
  /** The value as the `+set` event shows it. */
  readonly show: (value: V) => string;
  /**
   * The rewrite: the value lists to write after `sentinel <name> <master>`, one per line; none when
   * the value is the default. Absent when the option has no line of its own.
   */
  readonly rewrite?: (settings: MasterSettings, env: RewriteEnv) => readonly (readonly string[])[];
  /** Written after the master's known-replica and known-sentinel lines (Sentinel's order), not before. */
  readonly rewriteLast?: boolean;
}

/** `SENTINEL SET`'s reply to a value it refuses. */
export function invalidSetArgument(typed: string, value: string): string {
  return `ERR Invalid argument '${value}' for SENTINEL SET '${typed}'`;
}
