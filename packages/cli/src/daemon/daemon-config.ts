import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { checkWritable, isExecutable, removeStaleTempFiles } from "../config/atomic-write.js";
import { formatConfigError } from "../config/config-error.js";
import { type LoadedConfig, loadConfig } from "../config/load-config.js";
import { strerror } from "../config/strerror.js";
import type { DaemonError } from "./daemon.js";

/** The daemon's config file, loaded: its absolute path and what it says. */
export interface DaemonConfig {
  readonly path: string;
  readonly config: LoadedConfig;
}

/**
 * Load the config like `redis-sentinel`: the file is mandatory and must be writable (it is where state
 * persists), three passes with `overrides` applied, then chdir to its `dir`.
 */
export function loadDaemonConfig(configPath: string, overrides: readonly (readonly string[])[]): DaemonConfig | DaemonError {
  const path = resolve(configPath);
  if (!existsSync(path)) return fatal(`Fatal error, can't open config file '${path}': No such file or directory`);
  const writable = checkWritable(path);
  if (!writable.ok) return fatal(writable.message);
  // Temp files of a daemon killed mid-rewrite (kill -9, power loss) are never read; tidy them up.
  removeStaleTempFiles(path);
  let fileText: string;
  try {
    fileText = readFileSync(path, "utf8");
  } catch (e) {
    // e.g. a directory ("Is a directory"): Redis would run without persisting; refuse instead.
    return fatal(`Fatal error, can't open config file '${path}': ${strerror(e)}`);
  }
  // Relative paths after a `dir` line resolve from that directory, as Redis chdir()s at each one.
  const loaded = loadConfig(fileText, path, overrides, { isExecutable, cwd: process.cwd(), checkDir: usableDirectory });
  if (!loaded.ok) return fatal(formatConfigError(loaded.error));
  const g = loaded.config.generic;
  if (g.workingDir !== undefined && g.workingDir !== process.cwd()) {
    try {
      process.chdir(g.workingDir);
    } catch (e) {
      return fatal(`Can't chdir to '${g.dir}': ${(e as Error).message}`);
    }
  }
  return { path, config: loaded.config };
}

/** Whether a start-up step failed. */
export function isFailure<T extends object>(result: T | DaemonError): result is DaemonError {
  return "exitCode" in result && "message" in result;
}

/** A start-up failure: Sentinel exits 1. */
export function fatal(message: string): DaemonError {
  return { message, exitCode: 1 };
}

/** `chdir()`'s verdict on `path` without moving there yet: its `strerror` text, or undefined. */
function usableDirectory(path: string): string | undefined {
  try {
    if (!statSync(path).isDirectory()) return "Not a directory";
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (e) {
    return strerror(e);
  }
}
