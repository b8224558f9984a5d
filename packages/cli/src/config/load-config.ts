import type { GlobalSettings, PersistedMaster } from "@vigil/core";
import { DEFAULT_DIALECT, parseDialect, type SentinelDialect } from "@vigil/transport-redis";
import type { ConfigError } from "./config-error.js";
import { applyGenericDirective, fromWorkingDir, type GenericDraft, type GenericFsChecks } from "./generic-directives.js";
import { GENERIC_DEFAULTS, type GenericSettings } from "./generic-settings.js";
import { overrideLines } from "./overrides.js";
import { applySentinelLines, type SentinelLine } from "./sentinel-directives.js";
import { tokenize } from "./tokenize.js";

/** Everything a `sentinel.conf` (plus command-line overrides) configures. */
export interface LoadedConfig {
  /** The config file path as given. */
  readonly path: string;
  /** Typed generic directives and the raw passthrough ones. */
  readonly generic: GenericSettings;
  /** `vigil-<key> <value>` extensions, keyed without the `vigil-` prefix (e.g. `timing`, `log-format`). */
  readonly vigil: Readonly<Record<string, string>>;
  /** `vigil-dialect` (file or `--vigil-dialect`, the command line winning), default `redis-7.0`. */
  readonly dialect: SentinelDialect;
  /** `sentinel myid`; absent when the file has none (the daemon then generates one and flushes). */
  readonly myId: string | undefined;
  readonly currentEpoch: number;
  readonly global: GlobalSettings;
  /** Monitored masters in `sentinel monitor` order, in the engine's persisted shape. */
  readonly masters: readonly PersistedMaster[];
  /** The lines read, file first then overrides; `lines[n - 1]` is line `n` of any {@link ConfigError}. */
  readonly lines: readonly string[];
}

/** Outcome of {@link loadConfig}. */
export type LoadResult = { readonly ok: true; readonly config: LoadedConfig } | { readonly ok: false; readonly error: ConfigError };

/** Reads an `include`d file; `message` is the `strerror` text when it cannot. */
export type ReadInclude = (path: string) => { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * File-system checks Redis makes while loading. The loader itself does no I/O; without a hook the
 * corresponding check is skipped (scripts count as executable, `dir`/`logfile` as usable) and an
 * `include` fails.
 */
export interface LoadOptions extends GenericFsChecks {
  /** `access(path, X_OK) == 0` for notification / client-reconfig scripts. */
  readonly isExecutable?: (path: string) => boolean;
  readonly readInclude?: ReadInclude;
}

/** Redis recurses into includes without a limit; a cycle would overflow the stack instead. */
const MAX_INCLUDE_DEPTH = 32;

interface ReadState {
  readonly draft: GenericDraft;
  readonly sentinel: SentinelLine[];
  readonly options: LoadOptions;
}

/** Redis's `sdstrim(line, " \t\r\n")`. */
function trimLine(line: string): string {
  return line.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/** Read one text (the main file with overrides, or an included file) line by line, like `loadServerConfigFromString`. */
function readText(state: ReadState, text: string, path: string, depth: number): ConfigError | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = trimLine(lines[i]!);
    if (line === "" || line.startsWith("#")) continue;
    const fail = (message: string): ConfigError => ({ path, line: lineNo, lineText: line, message });
    const split = tokenize(line);
    if (!split.ok) return fail("Unbalanced quotes in configuration line");
    if (split.args.length === 0) continue;
    const outcome = applyGenericDirective(state.draft, split.args, lineNo, state.options);
    if (outcome.kind === "error") return fail(outcome.message);
    if (outcome.kind === "sentinel") state.sentinel.push({ path, line: lineNo, lineText: line, args: outcome.args });
    if (outcome.kind === "include") {
      if (depth >= MAX_INCLUDE_DEPTH) return fail(`Fatal error, too many nested includes at '${outcome.path}'`);
      const read = state.options.readInclude?.(fromWorkingDir(state.draft, outcome.path)) ?? { ok: false, message: "include is not available here" };
      if (!read.ok) return fail(`Fatal error, can't open config file '${outcome.path}': ${read.message}`);
      const nested = readText(state, read.text, outcome.path, depth + 1);
      if (nested) return nested;
    }
  }
  return undefined;
}

/**
 * Parse a Sentinel config file the way `redis-sentinel` does, without touching the file system.
 *
 * Generic lines are applied in order as they are read; `sentinel` lines are queued and applied
 * afterwards in three passes (see {@link applySentinelLines}). `overrides` are command-line
 * directives (`[["port", "26380"], ["sentinel", "announce-ip", "10.0.0.1"]]`, see
 * `commandLineOverrides`), appended after the file text as extra lines like Redis does, so they win
 * over the file and their errors carry line numbers past the file's end.
 *
 * Expected bad input never throws: the result is `{ ok: false, error }` with Redis's message.
 */
export function loadConfig(text: string, path: string, overrides?: readonly (readonly string[])[], options: LoadOptions = {}): LoadResult {
  // Redis appends "\n" + the override lines even when there are none; it shifts nothing.
  const full = overrides && overrides.length > 0 ? `${text}\n${overrideLines(overrides).join("\n")}` : text;
  const draft: GenericDraft = { ...GENERIC_DEFAULTS, workingDir: options.cwd, passthrough: [], users: [], vigil: {} };
  const state: ReadState = { draft, sentinel: [], options };
  // Lines past the file's own are the command-line options (errors say so).
  const fileLines = text.split("\n").length;
  const located = (error: ConfigError): LoadResult => ({
    ok: false,
    error: error.path === path && error.line > fileLines ? { ...error, fromCommandLine: true } : error,
  });
  const error = readText(state, full, path, 0);
  if (error) return located(error);
  const dialect = parseDialect(draft.vigil.dialect ?? "") ?? DEFAULT_DIALECT;

  // Sentinel lines are applied after the whole file, so scripts resolve from the last `dir`.
  const isExecutable = options.isExecutable;
  const sentinel = applySentinelLines(
    state.sentinel,
    { port: draft.port, requirePass: draft.requirepass, loglevel: draft.loglevel },
    isExecutable === undefined ? () => true : (script) => isExecutable(fromWorkingDir(draft, script)),
    dialect,
  );
  if (!sentinel.ok) return located(sentinel.error);

  const { vigil, ...generic } = draft;
  return {
    ok: true,
    config: {
      path,
      generic,
      vigil,
      dialect,
      myId: sentinel.config.myId,
      currentEpoch: sentinel.config.currentEpoch,
      global: sentinel.config.global,
      masters: sentinel.config.masters,
      lines: full.split("\n"),
    },
  };
}
